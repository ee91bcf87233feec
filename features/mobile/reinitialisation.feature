# language: fr
@mobile @EXI-MOB-REINITIALISATION
Fonctionnalité: Réinitialiser le compte retire le compte du téléphone
  « Pour que le compte ne soit plus paramétré dans l'application mobile et qu'un nouveau
  compte puisse être connecté : réinitialisez le compte depuis la page de connexion à
  l'application. »

  En tant que professionnel qui rend ou prête son téléphone
  Je veux que la réinitialisation efface le compte du téléphone et du serveur
  Afin que le téléphone ne donne plus accès à mes patients

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et son téléphone où l'application SPICO est activée
    Et il a consulté le dossier d'un patient
    Et il a fermé puis rouvert l'application

  Scénario: Annuler la réinitialisation garde le compte
    Quand il demande à réinitialiser son compte
    Et il annule
    Alors l'application demande le code secret
    Et son code PIN déverrouille toujours l'application

  Scénario: Réinitialiser efface le compte du téléphone et du serveur
    Quand il demande à réinitialiser son compte
    Et il confirme la réinitialisation
    Alors l'application propose d'activer un nouveau compte
    Et le téléphone ne garde plus rien du compte
    Et le serveur refuse l'ancien identifiant de l'appareil
