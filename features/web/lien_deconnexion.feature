# language: fr
@web @BP-LIEN-DECONNEXION
Fonctionnalité: Se déconnecter depuis chaque page
  Bonne pratique (ASVS 5.0 V7.4.4) : chaque page où l'utilisateur est authentifié offre
  un moyen visible de se déconnecter.

  Scénario: La liste des patients et le dossier d'un patient offrent de se déconnecter
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients
    Alors la page offre de se déconnecter
    Quand il ouvre le dossier d'un patient
    Alors la page offre de se déconnecter
