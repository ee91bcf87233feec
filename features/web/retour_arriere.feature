# language: fr
@web @BP-RETOUR-ARRIERE
Fonctionnalité: Pas de données patient après la fin de session, ni par Retour, ni par le cache
  Bonne pratique (ASVS 5.0 V7.4.1) : une fois la session terminée, ni le bouton Retour,
  ni le cache du navigateur, ni un cookie rejoué ne redonnent accès aux données des patients.

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients

  Scénario: Après la déconnexion de SPICO et du PASS, le bouton Retour ne réaffiche rien
    Quand il ouvre le dossier d'un patient
    Et il se déconnecte de SPICO
    Et il se déconnecte du PASS
    Et il remonte tout l'historique avec le bouton Retour du navigateur
    Alors aucune page de l'historique n'affiche de données patient

  Scénario: Après la déconnexion, l'ancien cookie de session rejoué est refusé
    Quand il se déconnecte de SPICO
    Alors SPICO refuse sa session

  @horloge
  Scénario: Après l'expiration des sessions, ni le bouton Retour ni l'ancien cookie ne rouvrent SPICO
    Quand il reste inactif jusqu'à l'expiration de sa session PASS
    Et il remonte tout l'historique avec le bouton Retour du navigateur
    Alors aucune page de l'historique n'affiche de données patient
    Et SPICO refuse sa session

  Scénario: Les pages de données patient ne sont pas conservées en cache
    Alors les pages de données patient interdisent leur conservation en cache
