# language: fr
@mobile @EXI-MOB-VERROUILLAGE
Fonctionnalité: L'application fermée se rouvre verrouillée
  « Pour que l'accès à l'application ne soit possible qu'avec une authentification (par le
  code à 4 chiffres, l'empreinte digitale ou la reconnaissance faciale) : fermez
  l'application mobile dans votre téléphone. »

  En tant que professionnel qui pose son téléphone
  Je veux que l'application fermée demande mon code, mon empreinte ou mon visage à sa réouverture
  Afin que personne ne voie les données de mes patients avec mon téléphone

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et son téléphone où l'application SPICO est activée

  Scénario: À la réouverture, l'application demande le code secret avant toute donnée
    Quand il ferme l'application et la rouvre
    Alors l'application demande le code secret
    Et aucune donnée patient n'est affichée

  Scénario: Le bon code PIN déverrouille l'application
    Quand il ferme l'application et la rouvre
    Et il saisit son code PIN
    Alors l'application affiche la liste des patients

  Scénario: Un code PIN faux est refusé
    Quand il ferme l'application et la rouvre
    Et il saisit un code PIN faux
    Alors l'application refuse le code PIN
    Et aucune donnée patient n'est affichée

  Scénario: Une empreinte reconnue déverrouille l'application
    Étant donné il a enregistré son empreinte dans l'application
    Quand il ferme l'application et la rouvre
    Et il présente son empreinte, qui est reconnue
    Alors l'application affiche la liste des patients

  Scénario: Une empreinte non reconnue est refusée et le code PIN reste proposé
    Étant donné il a enregistré son empreinte dans l'application
    Quand il ferme l'application et la rouvre
    Et il présente une empreinte qui n'est pas reconnue
    Alors l'application refuse l'empreinte
    Et aucune donnée patient n'est affichée
    Et l'application demande le code secret
