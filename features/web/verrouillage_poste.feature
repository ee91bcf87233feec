# language: fr
@web @EXI-POSTE-VERROUILLAGE @manuel
Fonctionnalité: Verrouiller le poste de travail en le quittant
  « Lorsque vous quittez votre poste de travail ponctuellement, pensez à verrouiller votre
  écran. Cliquez sur les 3 touches en même temps »

  En tant qu'auditeur
  Je veux vérifier que les postes partagés se verrouillent
  Afin qu'une session SPICO ouverte ne reste pas accessible à un passant

  Scénario: Le poste se verrouille et demande le mot de passe de la session du système
    Étant donné un poste de travail partagé avec SPICO ouvert
    Quand l'utilisateur appuie sur Ctrl + Alt + Suppr puis choisit « Verrouiller »
    Alors l'écran de verrouillage du système s'affiche
    Et la liste des patients n'est plus visible
    Et le poste ne se déverrouille qu'avec le mot de passe de l'utilisateur
