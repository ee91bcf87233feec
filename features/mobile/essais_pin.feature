# language: fr
@mobile @BP-PIN-ESSAIS
Fonctionnalité: Le nombre d'essais du code PIN est limité
  Bonne pratique (MASVS-AUTH) : un code à 4 chiffres ne se devine pas par essais
  successifs ; au-delà de quelques erreurs, le compte est retiré du téléphone.

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et son téléphone où l'application SPICO est activée
    Et il a fermé puis rouvert l'application

  Scénario: Après trois codes PIN faux, le compte est retiré du téléphone
    Quand il saisit 3 fois un code PIN faux
    Alors l'application propose d'activer un nouveau compte
    Et le serveur refuse l'ancien identifiant de l'appareil
