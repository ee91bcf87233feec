# language: fr
@web @BP-OTP
Fonctionnalité: Des codes de connexion vraiment à usage unique
  Bonne pratique (ASVS 5.0 V6) : le code envoyé par e-mail ou SMS ne sert qu'une fois,
  expire vite et ne se devine pas par essais successifs.

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est devant un navigateur sans session ouverte

  Scénario: Un code déjà utilisé est refusé
    Étant donné il s'est déjà connecté au PASS avec un code reçu par e-mail
    Quand il se reconnecte en saisissant de nouveau ce code déjà utilisé
    Alors le PASS refuse le code

  @horloge
  Scénario: Un code saisi après son expiration est refusé
    Quand il demande un code par SMS et attend 11 minutes avant de le saisir
    Alors le PASS refuse le code

  Scénario: Après trois codes faux, même le bon code est refusé
    Quand il se trompe de code 3 fois puis saisit le bon code
    Alors le PASS refuse le code
