# language: fr
@mobile @BP-OTP
Fonctionnalité: Des codes d'activation vraiment à usage unique
  Bonne pratique (ASVS 5.0 V6) : le code envoyé par e-mail ou SMS pour activer
  l'application ne sert qu'une fois, expire vite et ne se devine pas par essais successifs.

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et un téléphone où l'application SPICO n'a jamais été activée

  Scénario: Un code d'activation déjà utilisé est refusé
    Étant donné il a activé l'application avec un code reçu par e-mail
    Et il a réinitialisé son compte sur le téléphone
    Quand il recommence l'activation et saisit de nouveau ce code déjà utilisé
    Alors l'application refuse le code

  @horloge
  Scénario: Un code d'activation saisi après son expiration est refusé
    Quand il demande un code d'activation par SMS et attend 11 minutes avant de le saisir
    Alors l'application refuse le code

  Scénario: Après trois codes d'activation faux, même le bon code est refusé
    Quand il demande un code d'activation par e-mail, se trompe 3 fois puis saisit le bon code
    Alors l'application refuse le code
