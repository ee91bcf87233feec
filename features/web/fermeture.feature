# language: fr
@web @EXI-WEB-FERMETURE
Fonctionnalité: Fermer la fenêtre de navigation, et pas uniquement l'onglet
  « Option 1 : Fermer la fenêtre de navigation (et pas uniquement l'onglet) »

  En tant que professionnel qui a fini d'utiliser SPICO
  Je veux que fermer la fenêtre de navigation termine mes sessions SPICO et PASS
  Afin que rouvrir le navigateur n'ouvre pas SPICO à quelqu'un d'autre

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il utilise un navigateur qui garde son profil sur le disque
    Et il est connecté à SPICO et consulte la liste des patients

  Scénario: Fermer seulement l'onglet ne termine pas la session (l'avertissement du guide)
    Quand il ferme l'onglet de SPICO et en ouvre un nouveau dans la même fenêtre
    Alors la liste des patients s'affiche sans nouvelle authentification

  Scénario: Fermer la fenêtre de navigation termine les sessions SPICO et PASS
    Quand il ferme la fenêtre de navigation puis relance le navigateur
    Et il ouvre SPICO
    Alors la page de connexion du PASS s'affiche
    Et le PASS demande de nouveau l'identifiant et le mot de passe
