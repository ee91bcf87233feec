# language: fr
@web @EXI-WEB-INACTIVITE @horloge
Fonctionnalité: Déconnexion automatique après 2 heures d'inactivité
  « La déconnexion automatique de l'application web a lieu après 2 heures d'inactivités. »

  En tant que responsable de la sécurité du service
  Je veux qu'une session SPICO laissée sans activité se termine au bout de 2 heures
  Afin qu'un poste abandonné n'expose pas les données des patients

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients

  Scénario: Juste avant 2 heures d'inactivité, la session est encore ouverte
    Quand il reste inactif pendant 1 heure 59 minutes
    Alors la liste des patients est toujours affichée
    Et SPICO accepte toujours sa session

  Scénario: Après 2 heures d'inactivité, la session est terminée à l'écran et sur le serveur
    Quand il reste inactif pendant 2 heures et 1 seconde
    Alors aucune donnée patient n'est visible
    Et SPICO refuse sa session

  Scénario: Une action de l'utilisateur relance le décompte des 2 heures
    Quand il reste inactif pendant 1 heure 30 minutes
    Et il lance une recherche de patients
    Et il reste inactif pendant 1 heure 59 minutes
    Alors la liste des patients est toujours affichée
    Quand il reste inactif pendant 2 minutes
    Alors aucune donnée patient n'est visible
    Et SPICO refuse sa session

  Scénario: Une action relance aussi le décompte du serveur
    Quand il reste inactif pendant 1 heure 30 minutes
    Et il lance une recherche de patients
    Et il reste inactif pendant 1 heure 59 minutes
    Alors SPICO accepte toujours sa session

  Scénario: Deux onglets de SPICO laissés inactifs se terminent tous les deux
    Quand il ouvre aussi la liste des patients dans un second onglet
    Et il reste inactif pendant 2 heures et 1 seconde
    Alors aucun des onglets n'affiche plus de données patient
    Et SPICO refuse sa session
