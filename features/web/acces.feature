# language: fr
@web @EXI-WEB-ACCES
Fonctionnalité: Accès à SPICO par le PASS
  « Pour vous connecter à l'application web, vous vous connectez au PASS (Point d'Accès aux
  Services e-Santé) puis à SPICO en cliquant sur l'icone dans le kiosque des services. »

  En tant que professionnel de santé
  Je veux n'accéder à SPICO qu'après m'être authentifié au PASS
  Afin que seules des personnes identifiées voient les données des patients

  Contexte:
    Étant donné un professionnel disposant d'un compte PASS
    Et il est devant un navigateur sans session ouverte

  Scénario: Sans session, SPICO renvoie vers la connexion du PASS
    Quand il ouvre SPICO sans être connecté
    Alors la page de connexion du PASS s'affiche
    Et aucune donnée patient n'est visible

  Scénario: Du kiosque des services à la liste des patients, sans seconde authentification
    Quand il se connecte au PASS avec un code reçu par e-mail
    Alors le kiosque des services affiche la tuile SPICO
    Quand il clique sur la tuile SPICO
    Alors la liste des patients s'affiche sans nouvelle authentification
    Et elle contient des patients

  Scénario: Un lien direct vers la liste des patients y mène après l'authentification
    Quand il ouvre directement l'adresse de la liste des patients filtrée sur le sexe F
    Alors la page de connexion du PASS s'affiche
    Quand il s'authentifie au PASS avec un code reçu par SMS
    Alors la liste des patients s'affiche
    Et le filtre sur le sexe F est conservé
