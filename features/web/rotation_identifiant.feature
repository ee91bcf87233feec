# language: fr
@web @BP-ID-ROTATION
Fonctionnalité: Un nouvel identifiant de session à chaque authentification
  Bonne pratique (ASVS 5.0 V7.2.4) : l'identifiant de session change quand l'utilisateur
  s'authentifie, pour qu'un identifiant connu d'avance ne puisse pas servir à un tiers.

  Scénario: L'identifiant de session de SPICO change à l'authentification
    Étant donné un professionnel disposant d'un compte PASS
    Et il est devant un navigateur sans session ouverte
    Quand il ouvre SPICO sans être connecté
    Et le navigateur a reçu de SPICO un identifiant de session avant l'authentification
    Et il s'authentifie au PASS avec un code reçu par e-mail
    Alors la liste des patients s'affiche
    Et SPICO lui a attribué un nouvel identifiant de session
    Et l'identifiant d'avant l'authentification ne donne accès à aucune donnée patient
