# language: fr
@web @BP-COOKIES
Fonctionnalité: Des cookies de session protégés
  Bonne pratique (ASVS 5.0 V3) : les cookies qui portent la session ne survivent pas à
  la fermeture du navigateur, sont invisibles au JavaScript et ne partent pas avec les
  requêtes d'autres sites.

  Scénario: Les cookies de SPICO et du PASS sont des cookies de session protégés
    Étant donné un professionnel disposant d'un compte PASS
    Et il est connecté à SPICO et consulte la liste des patients
    Alors les cookies de SPICO et du PASS disparaissent à la fermeture du navigateur
    Et ils sont inaccessibles au JavaScript des pages
    Et ils ne sont pas envoyés par les requêtes venant d'autres sites
    Et ils ne circulent qu'en HTTPS quand le service est en HTTPS
