# language: fr
@web @BP-SANS-MAINTIEN @horloge
Fonctionnalité: Les échanges automatiques de la page ne maintiennent pas la session
  Bonne pratique (ASVS 5.0 V7.3.1) : seule une action de l'utilisateur compte comme
  activité ; ce que la page demande d'elle-même au serveur ne prolonge pas la session.

  Scénario: Une liste des patients laissée ouverte, qui interroge le serveur, expire quand même
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients
    Quand il laisse la page ouverte sans rien faire pendant 2 heures et 1 seconde
    Alors aucune donnée patient n'est visible
    Et SPICO refuse sa session
