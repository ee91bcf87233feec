# language: fr
@mobile @EXI-MOB-ACTIVATION
Fonctionnalité: Activer l'application mobile avec le compte PASS
  « L'accès à SPICO se fait avec votre compte PASS. Pour une sécurité optimale, vous allez
  recevoir un code par e-mail ou par SMS. »

  En tant que professionnel qui installe SPICO sur son téléphone
  Je veux que l'activation exige mon compte PASS, un code reçu et un code PIN à 4 chiffres
  Afin que personne d'autre ne puisse relier son téléphone à mon compte

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et un téléphone où l'application SPICO n'a jamais été activée

  Plan du scénario: Activation avec un code reçu <moyen>
    Quand il saisit son identifiant et son mot de passe PASS dans l'application
    Et il choisit de recevoir le code <moyen>
    Et il saisit le code reçu <moyen>
    Et il choisit un code PIN à 4 chiffres et le confirme
    Et il répond plus tard à la proposition d'empreinte ou de visage
    Alors l'application affiche la liste des patients

    Exemples:
      | moyen      |
      | par e-mail |
      | par SMS    |

  Scénario: Un code faux est refusé
    Quand il saisit son identifiant et son mot de passe PASS dans l'application
    Et il choisit de recevoir le code par e-mail
    Et il saisit un code faux
    Alors l'application refuse le code
    Et l'application ne propose pas de créer un code PIN

  Scénario: Une confirmation différente du code PIN est refusée
    Quand il saisit son identifiant et son mot de passe PASS dans l'application
    Et il choisit de recevoir le code par e-mail
    Et il saisit le code reçu par e-mail
    Et il choisit un code PIN puis en confirme un autre
    Alors l'application refuse le code PIN
    Et l'application demande toujours de créer un code PIN
