# language: fr
@web @BP-PROPAGATION-SSO
Fonctionnalité: La fin de la session PASS termine la session SPICO
  Bonne pratique (ASVS 5.0 V7.6.1) : quand la session du service d'authentification
  unique se termine, les services qui en dépendent terminent aussi la leur.

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients

  Scénario: Se déconnecter depuis le kiosque du PASS termine aussi la session SPICO
    Quand il se déconnecte depuis le kiosque des services du PASS
    Alors SPICO refuse sa session
    Et SPICO renvoie de nouveau vers la connexion du PASS

  @horloge
  Scénario: L'expiration de la session PASS termine aussi la session SPICO
    Quand il travaille dans SPICO sans repasser par le PASS jusqu'à l'expiration de la session PASS
    Alors SPICO refuse sa session
