# language: fr
@web @EXI-WEB-DECONNEXION
Fonctionnalité: Se déconnecter de SPICO puis du PASS
  « Option 2 : Se déconnecter de SPICO & se déconnecter du PASS »

  En tant que professionnel travaillant sur un poste partagé
  Je veux que me déconnecter de SPICO puis du PASS ferme les deux sessions
  Afin que la personne suivante ne puisse pas entrer dans SPICO à ma place

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients

  Scénario: Se déconnecter de SPICO seul laisse la session PASS ouverte
    Quand il se déconnecte de SPICO
    Alors SPICO refuse sa session
    Mais le kiosque des services du PASS s'ouvre sans authentification
    Et la tuile SPICO donne de nouveau accès aux patients sans identifiant ni code

  Scénario: Se déconnecter de SPICO puis du PASS ferme les deux sessions
    Quand il se déconnecte de SPICO
    Et il se déconnecte du PASS
    Alors SPICO refuse sa session
    Et le PASS refuse sa session
    Et le PASS demande de nouveau l'identifiant et le mot de passe
    Et SPICO renvoie de nouveau vers la connexion du PASS
