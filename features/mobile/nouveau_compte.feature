# language: fr
@mobile @EXI-MOB-NOUVEAU-COMPTE
Fonctionnalité: Un nouveau compte sur le même téléphone
  « Un nouveau compte peut être connecté à l'application. »

  En tant que professionnel qui reprend le téléphone d'un collègue
  Je veux activer mon propre compte après la réinitialisation
  Afin de travailler sans rien voir de ce que consultait mon collègue

  Scénario: Après la réinitialisation, un second compte ne voit rien du premier
    Étant donné un professionnel disposant d'un compte PASS
    Et son téléphone où l'application SPICO est activée
    Et il a consulté le dossier d'un patient
    Et il a réinitialisé son compte sur le téléphone
    Quand un second professionnel active l'application sur le même téléphone
    Alors l'application accueille le second professionnel
    Et elle n'affiche aucun dossier consulté par le premier
