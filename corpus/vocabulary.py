"""Word lists of the synthetic corpus: realistic French and English administrative text.

Everything here is data. `generate.py` combines it (templates with slots filled at
random) into titles, summaries and bodies. Each theme of the taxonomy has its own terms,
so that a document about telework talks about telework and filtered searches are
realistic; the general lists, names, places and codes give the long tail of rare words.
"""

from __future__ import annotations

# fmt: off

#: Per theme: French and English topics (for titles) and terms (for the text).
THEMES: dict[str, dict[str, list[str]]] = {
    "human-resources": {
        "fr_topics": [
            "au recrutement des agents contractuels", "à la gestion des congés annuels",
            "au compte épargne-temps", "à l'entretien professionnel annuel",
            "à la mobilité interne des ingénieurs et techniciens",
            "aux astreintes et interventions", "au temps partiel", "à la promotion des chercheurs",
            "à l'accueil des nouveaux arrivants",
        ],
        "en_topics": [
            "the recruitment of fixed-term staff", "annual leave management",
            "the time savings account", "the annual performance review",
            "internal mobility of engineers and technicians", "on-call duty", "part-time work",
            "the promotion of researchers", "onboarding of newcomers",
        ],
        "fr_terms": [
            "le contrat à durée déterminée", "la titularisation", "le concours externe",
            "la commission administrative paritaire", "le compte épargne-temps",
            "l'entretien professionnel", "la fiche de poste", "la période d'essai",
            "les congés bonifiés", "la rémunération indiciaire", "la prime de fonctions",
            "le régime indemnitaire", "la mobilité interne", "le temps partiel annualisé",
            "l'astreinte de week-end", "le dossier administratif de l'agent",
        ],
        "en_terms": [
            "the fixed-term contract", "tenure", "the external competitive exam",
            "the joint administrative committee", "the time savings account", "the annual review",
            "the job description", "the probationary period", "the salary scale",
            "the performance bonus", "internal mobility", "part-time arrangements",
            "on-call allowances", "the personnel file",
        ],
    },
    "finance": {
        "fr_topics": [
            "à l'exécution budgétaire", "à la clôture de l'exercice comptable",
            "aux ressources propres des laboratoires", "à la gestion des crédits",
            "au contrôle interne comptable", "aux frais de gestion des contrats",
        ],
        "en_topics": [
            "budget execution", "the closing of the financial year", "laboratories' own resources",
            "credit management", "internal accounting control", "overheads on research contracts",
        ],
        "fr_terms": [
            "l'exercice budgétaire", "le service fait", "la dotation de base",
            "les crédits de paiement", "l'autorisation d'engagement", "le bon de commande",
            "la liquidation de la dépense", "le mandatement", "la régie d'avances",
            "l'agent comptable", "le centre financier", "l'inventaire physique",
            "les frais de gestion", "la trésorerie", "l'imputation budgétaire",
        ],
        "en_terms": [
            "the financial year", "proof of service", "the base allocation",
            "payment appropriations", "commitment authorisations", "the purchase order",
            "expenditure settlement", "the imprest account", "the public accountant",
            "the cost centre", "the physical inventory", "overhead costs", "cash flow",
        ],
    },
    "purchasing": {
        "fr_topics": [
            "aux marchés publics en procédure adaptée", "aux achats de faible montant",
            "aux accords-cadres nationaux", "à la commande publique responsable",
            "aux achats de matériel scientifique",
        ],
        "en_topics": [
            "public contracts under the adapted procedure", "low-value purchases",
            "national framework agreements", "responsible public procurement",
            "purchases of scientific equipment",
        ],
        "fr_terms": [
            "le marché public", "la procédure adaptée", "l'appel d'offres", "le seuil de publicité",
            "l'accord-cadre", "le bordereau de prix", "le cahier des clauses techniques",
            "la mise en concurrence", "le pouvoir adjudicateur", "le titulaire du marché",
            "la computation des seuils", "la nomenclature des achats", "le devis",
            "le fournisseur référencé",
        ],
        "en_terms": [
            "the public contract", "the adapted procedure", "the call for tenders",
            "the advertising threshold", "the framework agreement", "the price schedule",
            "the technical specifications", "competitive bidding", "the awarding authority",
            "the contract holder", "the purchasing nomenclature", "the quotation",
            "the listed supplier",
        ],
    },
    "legal": {
        "fr_topics": [
            "au contentieux administratif", "aux conventions de partenariat",
            "à la responsabilité des agents", "aux actes réglementaires",
            "à la déontologie des agents publics",
        ],
        "en_topics": [
            "administrative litigation", "partnership agreements", "staff liability",
            "regulatory acts", "public service ethics",
        ],
        "fr_terms": [
            "le recours gracieux", "le tribunal administratif", "la protection fonctionnelle",
            "le règlement intérieur", "le Bulletin officiel", "la déclaration d'intérêts",
            "le référent déontologue", "le conflit d'intérêts", "l'acte réglementaire",
            "la voie de recours", "le délai de recours contentieux", "la publicité des actes",
            "le code de la recherche", "le code général de la fonction publique",
        ],
        "en_terms": [
            "the informal appeal", "the administrative court", "legal protection of staff",
            "the internal regulations", "the Official Bulletin", "the declaration of interests",
            "the ethics officer", "the conflict of interest", "the regulatory act",
            "the time limit for appeal", "the Research Code", "the Civil Service Code",
        ],
    },
    "missions": {
        "fr_topics": [
            "aux missions et aux frais de déplacement", "aux ordres de mission permanents",
            "au remboursement des frais de mission", "aux indemnités kilométriques",
            "aux missions dans les pays à risque",
        ],
        "en_topics": [
            "missions and travel expenses", "standing travel orders",
            "the reimbursement of travel costs", "mileage allowances",
            "missions to high-risk countries",
        ],
        "fr_terms": [
            "l'ordre de mission", "l'état de frais", "la nuitée", "l'indemnité de repas",
            "le forfait mobilités durables", "le billet de train", "la carte achat",
            "l'agence de voyages", "le véhicule personnel", "l'indemnité kilométrique",
            "le plafond d'hébergement", "la feuille de route", "les justificatifs de dépense",
        ],
        "en_terms": [
            "the travel order", "the expense claim", "the overnight stay", "the meal allowance",
            "the sustainable mobility package", "the train ticket", "the purchasing card",
            "the travel agency", "the private vehicle", "the mileage allowance",
            "the accommodation ceiling", "supporting receipts",
        ],
    },
    "telework": {
        "fr_topics": [
            "au télétravail", "au télétravail ponctuel et régulier",
            "à l'équipement des agents en télétravail", "au travail en site distant",
        ],
        "en_topics": [
            "telework", "occasional and regular telework", "equipment for teleworking staff",
            "working from a remote site",
        ],
        "fr_terms": [
            "le télétravail", "la journée télétravaillée", "l'autorisation de télétravail",
            "le forfait télétravail", "le droit à la déconnexion", "l'équipement nomade",
            "le tiers-lieu", "la visioconférence", "le quota annuel de jours", "la réversibilité",
            "le poste de travail à domicile",
        ],
        "en_terms": [
            "telework", "the telework day", "the telework authorisation", "the telework allowance",
            "the right to disconnect", "mobile equipment", "the coworking space",
            "videoconferencing", "the annual quota of days", "reversibility",
            "the home workstation",
        ],
    },
    "safety": {
        "fr_topics": [
            "à la prévention des risques professionnels", "au document unique",
            "à la radioprotection", "au travail isolé", "aux risques chimiques",
            "à la formation des assistants de prévention",
        ],
        "en_topics": [
            "occupational risk prevention", "the single risk assessment document",
            "radiation protection", "lone working", "chemical hazards",
            "training of prevention assistants",
        ],
        "fr_terms": [
            "le document unique d'évaluation des risques", "l'assistant de prévention",
            "l'ingénieur régional de prévention", "la médecine de prévention",
            "le registre santé et sécurité", "l'équipement de protection individuelle",
            "la hotte chimique", "le travail isolé", "la personne compétente en radioprotection",
            "le zonage radiologique", "les risques psychosociaux", "l'exercice d'évacuation",
            "la formation sauveteur secouriste",
        ],
        "en_terms": [
            "the risk assessment document", "the prevention assistant",
            "the regional prevention engineer", "occupational health",
            "the health and safety register", "personal protective equipment", "the fume hood",
            "lone working", "the radiation protection officer", "psychosocial risks",
            "the evacuation drill", "first-aid training",
        ],
    },
    "data-protection": {
        "fr_topics": [
            "à la protection des données personnelles", "au registre des traitements",
            "aux analyses d'impact relatives à la protection des données",
            "aux violations de données",
        ],
        "en_topics": [
            "personal data protection", "the record of processing activities",
            "data protection impact assessments", "personal data breaches",
        ],
        "fr_terms": [
            "le règlement général sur la protection des données", "le délégué à la protection",
            "le registre des traitements", "l'analyse d'impact", "la base légale",
            "le consentement éclairé", "la pseudonymisation", "la durée de conservation",
            "le sous-traitant", "la violation de données", "le droit d'accès",
            "le transfert hors de l'Union européenne",
        ],
        "en_terms": [
            "the General Data Protection Regulation", "the data protection officer",
            "the record of processing", "the impact assessment", "the legal basis",
            "informed consent", "pseudonymisation", "the retention period", "the processor",
            "the data breach", "the right of access", "transfers outside the European Union",
        ],
    },
    "information-systems": {
        "fr_topics": [
            "à la sécurité des systèmes d'information", "à l'usage des moyens informatiques",
            "à la gestion des identités numériques", "aux applications nationales de gestion",
        ],
        "en_topics": [
            "information systems security", "the use of IT resources",
            "digital identity management", "national management applications",
        ],
        "fr_terms": [
            "la charte informatique", "l'authentification forte", "le mot de passe",
            "la messagerie électronique", "le poste de travail", "la sauvegarde",
            "le correspondant sécurité", "l'application de gestion", "l'annuaire",
            "la politique de sécurité des systèmes d'information", "le chiffrement",
            "le réseau privé virtuel", "l'hébergement des données", "le service d'assistance",
        ],
        "en_terms": [
            "the IT charter", "multi-factor authentication", "the password", "the email service",
            "the workstation", "the backup", "the security officer", "the management application",
            "the directory", "the security policy", "encryption", "the virtual private network",
            "data hosting", "the help desk",
        ],
    },
    "international": {
        "fr_topics": [
            "à l'accueil des chercheurs étrangers", "aux laboratoires internationaux",
            "aux accords de coopération internationale", "à la mobilité internationale",
        ],
        "en_topics": [
            "hosting foreign researchers", "international research laboratories",
            "international cooperation agreements", "international mobility",
        ],
        "fr_terms": [
            "le laboratoire de recherche international", "la convention d'accueil",
            "le visa scientifique", "le bureau à l'étranger", "le projet international",
            "l'accord de coopération", "le chercheur invité", "la mobilité sortante",
            "le poste de conseiller scientifique", "le réseau international",
        ],
        "en_terms": [
            "the international research laboratory", "the hosting agreement", "the scientific visa",
            "the office abroad", "the international project", "the cooperation agreement",
            "the visiting researcher", "outgoing mobility", "the science attaché",
            "the international network",
        ],
    },
    "europe": {
        "fr_topics": [
            "aux projets européens Horizon Europe",
            "aux bourses du Conseil européen de la recherche", "aux actions Marie Skłodowska-Curie",
            "aux audits des projets européens",
        ],
        "en_topics": [
            "Horizon Europe projects", "European Research Council grants",
            "Marie Skłodowska-Curie actions", "audits of European projects",
        ],
        "fr_terms": [
            "le programme-cadre", "la convention de subvention", "le consortium",
            "le coordinateur du projet", "les coûts éligibles", "le rapport financier",
            "la feuille de temps", "le Conseil européen de la recherche", "l'ERC",
            "le certificat d'audit", "la Commission européenne", "le livrable",
        ],
        "en_terms": [
            "the framework programme", "the grant agreement", "the consortium",
            "the project coordinator", "eligible costs", "the financial report", "the timesheet",
            "the European Research Council", "the ERC", "the audit certificate",
            "the European Commission", "the deliverable",
        ],
    },
    "partnerships": {
        "fr_topics": [
            "aux conventions de partenariat avec les universités", "aux unités mixtes de recherche",
            "aux contrats de collaboration de recherche",
        ],
        "en_topics": [
            "partnership agreements with universities", "joint research units",
            "collaborative research contracts",
        ],
        "fr_terms": [
            "la convention de site", "l'unité mixte de recherche", "la tutelle",
            "le contrat de collaboration", "le dialogue de gestion", "l'établissement partenaire",
            "la délégation globale de gestion", "le comité de pilotage", "l'accord de consortium",
            "l'organisme de recherche",
        ],
        "en_terms": [
            "the site agreement", "the joint research unit", "the supervising body",
            "the collaboration contract", "the management dialogue", "the partner institution",
            "the single management delegation", "the steering committee",
            "the consortium agreement", "the research organisation",
        ],
    },
    "innovation": {
        "fr_topics": [
            "à la valorisation des résultats de la recherche", "aux déclarations d'invention",
            "à la création d'entreprises issues des laboratoires", "aux licences d'exploitation",
        ],
        "en_topics": [
            "the exploitation of research results", "invention disclosures", "spin-off creation",
            "exploitation licences",
        ],
        "fr_terms": [
            "la déclaration d'invention", "le brevet", "la licence d'exploitation", "la start-up",
            "le transfert de technologie", "la prématuration", "la propriété intellectuelle",
            "le laboratoire commun", "l'intéressement des inventeurs", "le contrat de licence",
            "la maturation",
        ],
        "en_terms": [
            "the invention disclosure", "the patent", "the exploitation licence", "the start-up",
            "technology transfer", "pre-maturation", "intellectual property",
            "the joint laboratory", "inventor royalties", "the licence agreement",
        ],
    },
    "sustainable-development": {
        "fr_topics": [
            "à la réduction de l'empreinte carbone", "au plan de sobriété énergétique",
            "aux déplacements bas carbone", "à la gestion des déchets de laboratoire",
        ],
        "en_topics": [
            "reducing the carbon footprint", "the energy sobriety plan", "low-carbon travel",
            "laboratory waste management",
        ],
        "fr_terms": [
            "le bilan des émissions de gaz à effet de serre", "la sobriété énergétique",
            "le référent développement durable", "l'empreinte carbone", "le tri des déchets",
            "le plan de mobilité", "la consommation électrique", "le chauffage des bâtiments",
            "la rénovation thermique", "les achats durables",
        ],
        "en_terms": [
            "the greenhouse gas inventory", "energy sobriety", "the sustainability officer",
            "the carbon footprint", "waste sorting", "the mobility plan", "electricity consumption",
            "building heating", "thermal renovation", "sustainable purchasing",
        ],
    },
    "steering": {
        "fr_topics": [
            "au contrat d'objectifs et de moyens", "au dialogue de gestion annuel",
            "aux indicateurs de performance", "à la lettre de cadrage budgétaire",
        ],
        "en_topics": [
            "the objectives and resources contract", "the annual management dialogue",
            "performance indicators", "the budget framework letter",
        ],
        "fr_terms": [
            "le contrat d'objectifs", "l'indicateur de performance", "le tableau de bord",
            "la lettre de cadrage", "le conseil d'administration", "le comité de direction",
            "la feuille de route stratégique", "la revue de performance", "le schéma directeur",
        ],
        "en_terms": [
            "the objectives contract", "the performance indicator", "the dashboard",
            "the framework letter", "the board of directors", "the executive committee",
            "the strategic roadmap", "the performance review", "the master plan",
        ],
    },
    "continuous-improvement": {
        "fr_topics": [
            "à la démarche qualité", "à la simplification administrative",
            "à la cartographie des processus", "aux enquêtes de satisfaction",
        ],
        "en_topics": [
            "the quality approach", "administrative simplification", "process mapping",
            "satisfaction surveys",
        ],
        "fr_terms": [
            "la démarche qualité", "la cartographie des processus", "le retour d'expérience",
            "l'enquête de satisfaction", "la simplification", "le plan d'action", "l'audit interne",
            "la revue de processus", "la dématérialisation",
        ],
        "en_terms": [
            "the quality approach", "process mapping", "lessons learned", "the satisfaction survey",
            "simplification", "the action plan", "the internal audit", "the process review",
            "paperless procedures",
        ],
    },
    "research-funding": {
        "fr_topics": [
            "aux appels à projets de l'ANR", "au financement sur projets",
            "aux équipements d'excellence", "aux programmes prioritaires de recherche",
        ],
        "en_topics": [
            "ANR calls for proposals", "project-based funding", "equipment of excellence",
            "priority research programmes",
        ],
        "fr_terms": [
            "l'Agence nationale de la recherche", "l'ANR", "l'appel à projets",
            "le programme prioritaire de recherche", "le financement sur projet", "l'aide allouée",
            "le porteur de projet", "le préciput", "le comité d'évaluation",
            "le programme d'investissements d'avenir", "France 2030",
        ],
        "en_terms": [
            "the National Research Agency", "the ANR", "the call for proposals",
            "the priority research programme", "project funding", "the awarded grant",
            "the principal investigator", "the evaluation committee",
            "the investments for the future programme", "France 2030",
        ],
    },
    "laboratories": {
        "fr_topics": [
            "à la création et au renouvellement des unités", "au fonctionnement des laboratoires",
            "aux conseils de laboratoire", "à l'évaluation des unités de recherche",
        ],
        "en_topics": [
            "the creation and renewal of units", "how laboratories operate", "laboratory councils",
            "the evaluation of research units",
        ],
        "fr_terms": [
            "le directeur d'unité", "le conseil de laboratoire", "l'équipe de recherche",
            "la plateforme technologique", "le responsable administratif", "le projet scientifique",
            "le Haut Conseil de l'évaluation", "le contrat quinquennal", "l'unité d'appui",
            "la fédération de recherche", "le plateau technique",
        ],
        "en_terms": [
            "the unit director", "the laboratory council", "the research team",
            "the technology platform", "the administrative manager", "the scientific project",
            "the evaluation council", "the five-year contract", "the support unit",
            "the research federation", "the technical facility",
        ],
    },
    "signature-delegation": {
        "fr_topics": [
            "à la délégation de signature", "aux délégations de signature des délégués régionaux",
            "aux délégations de signature des directeurs d'unité",
        ],
        "en_topics": [
            "delegation of signature", "signature delegations of regional delegates",
            "signature delegations of unit directors",
        ],
        "fr_terms": [
            "la délégation de signature", "le délégué régional", "le suppléant", "l'empêchement",
            "la subdélégation", "l'ordonnateur secondaire", "la décision de nomination",
            "le directeur d'unité", "l'acte de gestion courante",
        ],
        "en_terms": [
            "the delegation of signature", "the regional delegate", "the deputy",
            "the absence or impediment", "sub-delegation", "the authorising officer",
            "the appointment decision", "the unit director", "routine management acts",
        ],
    },
    "open-science": {
        "fr_topics": [
            "à la science ouverte", "au dépôt des publications dans HAL",
            "aux plans de gestion des données", "à l'ouverture des données de la recherche",
        ],
        "en_topics": [
            "open science", "depositing publications in HAL", "data management plans",
            "opening research data",
        ],
        "fr_terms": [
            "l'archive ouverte HAL", "le plan de gestion des données", "le libre accès",
            "l'identifiant ORCID", "les données FAIR", "la licence Creative Commons",
            "l'entrepôt de données", "la publication en accès ouvert", "le code source ouvert",
        ],
        "en_terms": [
            "the HAL open archive", "the data management plan", "open access",
            "the ORCID identifier", "FAIR data", "the Creative Commons licence",
            "the data repository", "open-access publication", "open-source code",
        ],
    },
}

#: General French noun phrases (with their article): any administrative text uses them.
FR_NOUNS = [
    "la direction générale", "le présent texte", "la délégation régionale", "l'unité",
    "le laboratoire", "le directeur d'unité", "le responsable administratif", "l'agent",
    "le gestionnaire", "la cellule administrative", "le service financier",
    "le service des ressources humaines", "le comité technique",
    "le comité social d'administration", "la formation spécialisée", "le conseil scientifique",
    "la section du comité national", "l'institut", "la circonscription",
    "le correspondant formation", "le calendrier prévisionnel", "la procédure", "le dispositif",
    "la demande", "l'instruction du dossier", "la pièce justificative", "le formulaire",
    "l'application nationale", "le circuit de validation", "le visa du directeur",
    "la décision individuelle", "la note de service", "l'annexe", "le modèle de courrier",
    "la période de référence", "l'année civile", "le montant maximal", "le plafond annuel",
    "la date d'effet", "la mise en œuvre", "le bilan annuel", "le suivi", "le contrôle",
    "l'accompagnement", "la concertation", "l'information des agents",
    "les organisations syndicales", "les personnels", "les ingénieurs", "les techniciens",
    "les chercheurs", "les doctorants", "les stagiaires", "les post-doctorants",
    "les personnels contractuels", "l'établissement", "l'université partenaire",
    "l'école doctorale", "le campus", "le bâtiment", "la plateforme", "le projet", "l'équipe",
    "le programme", "le budget", "le rapport", "l'évaluation", "le recensement",
    "la campagne annuelle", "le guichet unique", "le portail", "l'intranet", "la messagerie",
    "le référentiel", "la nomenclature", "la fiche pratique", "la foire aux questions",
    "le webinaire", "la session de formation", "le module en ligne",
]
EN_NOUNS = [
    "the head office", "this text", "the regional office", "the unit", "the laboratory",
    "the unit director", "the administrative manager", "the staff member", "the manager",
    "the administrative team", "the finance department", "the human resources department",
    "the technical committee", "the social committee", "the scientific council", "the institute",
    "the region", "the training officer", "the provisional timetable", "the procedure",
    "the scheme", "the application", "the review of the file", "the supporting document",
    "the form", "the national application", "the approval circuit", "the director's approval",
    "the individual decision", "the memorandum", "the appendix", "the template letter",
    "the reference period", "the calendar year", "the maximum amount", "the annual ceiling",
    "the effective date", "the implementation", "the annual report", "the follow-up", "the audit",
    "support", "consultation", "staff information", "the trade unions", "staff", "engineers",
    "technicians", "researchers", "doctoral students", "interns", "postdocs", "contract staff",
    "the institution", "the partner university", "the doctoral school", "the campus",
    "the building", "the platform", "the project", "the team", "the programme", "the budget",
    "the evaluation", "the annual campaign", "the one-stop shop", "the portal", "the intranet",
    "the framework", "the fact sheet", "the FAQ", "the webinar", "the training session",
    "the online module",
]
FR_VERBS = [
    "précise", "fixe", "définit", "encadre", "rappelle", "complète", "modifie", "abroge",
    "organise", "détermine", "prévoit", "autorise", "simplifie", "harmonise", "clarifie",
    "remplace", "étend", "limite", "accompagne", "sécurise", "décrit", "formalise", "actualise",
    "renforce", "uniformise", "facilite", "garantit", "dématérialise",
]
EN_VERBS = [
    "specifies", "sets out", "defines", "governs", "recalls", "supplements", "amends", "repeals",
    "organises", "determines", "provides for", "authorises", "simplifies", "harmonises",
    "clarifies", "replaces", "extends", "limits", "supports", "secures", "describes", "formalises",
    "updates", "strengthens", "facilitates", "guarantees",
]
FR_ADVERBIALS = [
    "à compter du 1er janvier", "dans un délai de trente jours", "au plus tard le 31 mars",
    "chaque année", "après avis du comité technique", "sous réserve des crédits disponibles",
    "dans le respect du secret professionnel", "par voie électronique", "sans délai",
    "à titre dérogatoire", "à titre expérimental", "pour une durée de trois ans",
    "dans les conditions prévues à l'annexe", "avec l'accord du directeur d'unité",
    "en lien avec la délégation régionale", "selon le calendrier ci-dessous",
    "sur proposition du directeur d'institut", "après consultation des représentants du personnel",
    "dans la limite du plafond annuel", "au prorata du temps de travail",
]
EN_ADVERBIALS = [
    "from 1 January", "within thirty days", "no later than 31 March", "every year",
    "after consulting the technical committee", "subject to available funds",
    "in compliance with professional secrecy", "electronically", "without delay",
    "by way of derogation", "on an experimental basis", "for a period of three years",
    "under the conditions set out in the appendix", "with the unit director's approval",
    "in liaison with the regional office", "according to the timetable below",
    "on the proposal of the institute director", "after consulting staff representatives",
    "within the annual ceiling", "in proportion to working time",
]
FR_ADJECTIVES = [
    "applicable", "obligatoire", "préalable", "annuel", "exceptionnel", "dérogatoire", "provisoire",
    "définitif", "complet", "individuel", "collectif", "national", "régional", "transitoire",
    "prioritaire", "confidentiel", "réglementaire", "facultatif",
]
EN_ADJECTIVES = [
    "applicable", "mandatory", "prior", "annual", "exceptional", "temporary", "final", "complete",
    "individual", "collective", "national", "regional", "transitional", "priority", "confidential",
    "statutory", "optional",
]

#: Sentence templates; slots: {n} noun phrase, {t} term of the document's themes, {v} verb,
#: {adv} adverbial, {adj} adjective, {p} place, {who} person, {u} unit code, {m} amount,
#: {d} date, {k} number, {org} partner organisation, {dr} region label.
FR_SENTENCES = [
    "Le présent texte {v} les conditions dans lesquelles {t} est mis en œuvre {adv}.",
    "{N} {v} les règles relatives à {t}.",
    "Les demandes relatives à {t} sont adressées à {n} {adv}.",
    "{T} relève de la compétence de {n}, qui en assure le suivi.",
    "Le montant de {t} est fixé à {m} {adv}.",
    "Il appartient à {n} de vérifier le caractère {adj} de {t}.",
    "Les agents concernés par {t} en sont informés {adv}.",
    "Un bilan de {t} est présenté chaque année devant {n}.",
    "En cas de difficulté, {n} peut saisir {who}, qui instruit la demande.",
    "Les pièces justificatives de {t} sont conservées pendant {k} ans.",
    "{T} est ouvert aux agents affectés dans la circonscription {dr}.",
    "Cette disposition s'applique aux unités de la délégation {dr}, notamment à {u}.",
    "Le dossier est transmis à {n} au plus tard le {d}.",
    "La réunion d'information organisée à {p} le {d} a permis de présenter {t}.",
    "{Who}, responsable du dispositif, répond aux questions des gestionnaires.",
    "Les conventions conclues avec {org} prévoient {t}.",
    "Le seuil applicable à {t} est porté à {m}.",
    "Sauf disposition contraire, {t} est accordé pour une durée de {k} mois.",
    "L'avis de {n} est requis avant toute décision concernant {t}.",
    "Le directeur d'unité veille à la bonne application de {t} au sein de {u}.",
    "Les délais de traitement de {t} ne peuvent excéder {k} jours ouvrés.",
    "{N} tient à jour la liste des bénéficiaires de {t}.",
    "Une foire aux questions sur {t} est disponible sur l'intranet.",
    "La procédure {adj} décrite en annexe {v} {t}.",
    "Ces règles s'appliquent également aux personnels hébergés par {org}.",
    (
        "À titre transitoire, les dossiers déposés avant le {d} restent instruits "
        "selon les règles antérieures."
    ),
    "Le recours à {t} fait l'objet d'un accord écrit entre l'agent et {n}.",
    "Le comité de suivi réuni à {p} a examiné {k} dossiers relatifs à {t}.",
    "Les modalités de {t} sont précisées par {n} {adv}.",
    "Toute modification de {t} est notifiée à {n} {adv}.",
    "Le coût total de l'opération, soit {m}, est imputé sur le budget de {u}.",
    "Les correspondants de {p} et de {p} ont contribué à la rédaction de ce texte.",
    "{N} {v} {t} {adv}.", "Le calendrier de {t} est arrêté par {n}.",
    "L'instruction des demandes de {t} est assurée par la délégation {dr}.",
]
EN_SENTENCES = [
    "This text {v} the conditions under which {t} is implemented {adv}.",
    "{N} {v} the rules on {t}.", "Requests concerning {t} are sent to {n} {adv}.",
    "{T} falls within the remit of {n}, which monitors it.",
    "The amount of {t} is set at {m} {adv}.", "It is for {n} to check that {t} is {adj}.",
    "Staff concerned by {t} are informed {adv}.", "A review of {t} is presented every year to {n}.",
    "In case of difficulty, {n} may refer the matter to {who}, who examines the request.",
    "Supporting documents for {t} are kept for {k} years.",
    "{T} is open to staff assigned to the {dr} region.",
    "This provision applies to the units of the {dr} regional office, in particular {u}.",
    "The file is sent to {n} no later than {d}.",
    "The information meeting held in {p} on {d} presented {t}.",
    "{Who}, who is responsible for the scheme, answers managers' questions.",
    "Agreements signed with {org} provide for {t}.", "The threshold for {t} is raised to {m}.",
    "Unless otherwise provided, {t} is granted for {k} months.",
    "The opinion of {n} is required before any decision on {t}.",
    "The unit director ensures that {t} is properly applied within {u}.",
    "Processing {t} may not take more than {k} working days.",
    "{N} keeps the list of beneficiaries of {t} up to date.",
    "A FAQ on {t} is available on the intranet.",
    "The {adj} procedure described in the appendix {v} {t}.",
    "These rules also apply to staff hosted by {org}.",
    "Files submitted before {d} are still processed under the previous rules.",
    "Use of {t} is subject to a written agreement between the staff member and {n}.",
    "The monitoring committee met in {p} and examined {k} files on {t}.", "{N} {v} {t} {adv}.",
]

FR_PREAMBLE = [
    "Vu le code de la recherche", "Vu le décret n° 82-993 du 24 novembre 1982 modifié",
    "Vu le code général de la fonction publique", "Vu le code de la commande publique",
    (
        "Vu le décret n° 2012-1246 du 7 novembre 2012 relatif à la gestion budgétaire "
        "et comptable publique"
    ),
    "Vu le décret n° 2016-151 du 11 février 2016 relatif au télétravail",
    "Vu le règlement (UE) 2016/679 du 27 avril 2016", "Vu l'avis du comité social d'administration",
    "Vu la délibération du conseil d'administration",
    "Vu la décision portant organisation de la direction",
]
EN_PREAMBLE = [
    "Having regard to the Research Code", "Having regard to Decree No 82-993 of 24 November 1982",
    "Having regard to the Civil Service Code", "Having regard to the Public Procurement Code",
    "Having regard to Regulation (EU) 2016/679 of 27 April 2016",
    "Having regard to the opinion of the social committee",
    "Having regard to the resolution of the board of directors",
]

FR_SECTIONS = [
    "Objet", "Champ d'application", "Bénéficiaires", "Procédure", "Calendrier",
    "Modalités pratiques", "Pièces à fournir", "Rôle des acteurs", "Financement",
    "Suivi et évaluation", "Dispositions transitoires", "Contacts", "Références",
    "Cas particuliers", "Questions fréquentes", "Entrée en vigueur",
]
EN_SECTIONS = [
    "Purpose", "Scope", "Beneficiaries", "Procedure", "Timetable", "Practical arrangements",
    "Documents to provide", "Roles", "Funding", "Monitoring and evaluation",
    "Transitional provisions", "Contacts", "References", "Special cases", "FAQ", "Entry into force",
]

FR_FIRST = [
    "Sophie", "Bertrand", "Claire", "Nicolas", "Isabelle", "Laurent", "Nathalie", "Philippe",
    "Catherine", "Olivier", "Valérie", "Stéphane", "Hélène", "Julien", "Anne", "Thierry", "Émilie",
    "François", "Sandrine", "Éric", "Agnès", "Benoît", "Cécile", "Damien", "Florence", "Gilles",
    "Juliette", "Karim", "Léa", "Mathieu", "Noémie", "Pascal", "Rachida", "Sébastien", "Inès",
    "Vincent", "Yasmine", "Antoine", "Béatrice", "Christophe", "Delphine", "Étienne", "Frédérique",
    "Guillaume", "Héloïse", "Jérôme", "Lucie", "Marc", "Mélanie", "Raphaël", "Solène", "Thomas",
    "Virginie", "Xavier", "Zoé", "Amandine",
]
LAST_NAMES = [
    "Vernay", "Lachaume", "Aubriot", "Lecanu", "Rocheteau", "Faucher", "Lambertin", "Moreau",
    "Garnier", "Chevalier", "Fontaine", "Rousseau", "Lefèvre", "Mercier", "Blanchard", "Guérin",
    "Boyer", "Dumont", "Perrin", "Marchand", "Duval", "Lemoine", "Brunet", "Roussel", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Gautier", "Noël", "Meunier", "Lacroix", "Renaud",
    "Barbier", "Arnaud", "Giraud", "Leclerc", "Masson", "Huet", "Deschamps", "Poirier",
    "Charpentier", "Benoît", "Hoarau", "Le Gall", "Kerjean", "Ben Salem", "Nguyen", "Haddad",
    "Da Silva", "Ferreira", "Kowalski", "Schmitt", "Muller", "Weber", "Rossi", "Esposito", "Okafor",
    "Tanaka", "Ducasse", "Pelletier", "Jourdan", "Cordier", "Besson", "Tessier", "Maillard",
    "Carré", "Vasseur", "Hamon", "Laborde", "Etcheverry", "Quéméner", "Ollivier", "Bastide",
    "Pujol", "Sabatier", "Lagarde", "Delmas", "Couderc", "Bonnefoy", "Tixier", "Valette", "Peyrot",
]
CITIES = [
    "Paris", "Villejuif", "Gif-sur-Yvette", "Meudon", "Orléans", "Tours", "Poitiers", "Limoges",
    "Strasbourg", "Mulhouse", "Grenoble", "Chambéry", "Marseille", "Aix-en-Provence", "Ajaccio",
    "Montpellier", "Perpignan", "Toulouse", "Bordeaux", "Pau", "Rennes", "Brest", "Nantes",
    "Angers", "Lille", "Amiens", "Caen", "Rouen", "Le Havre", "Nice", "Sophia Antipolis", "Lyon",
    "Villeurbanne", "Clermont-Ferrand", "Dijon", "Besançon", "Nancy", "Metz", "Reims", "Palaiseau",
    "Orsay", "Saclay", "Cergy", "Nanterre", "Créteil", "Évry", "Versailles", "La Rochelle",
    "Roscoff", "Banyuls-sur-Mer", "Villefranche-sur-Mer", "Arcachon", "Wimereux", "Brussels",
    "Tokyo", "Singapore", "Washington", "Beijing", "New Delhi", "Pretoria", "Rio de Janeiro",
    "Montréal", "Berlin", "Madrid", "Rome", "Lausanne", "Oxford", "Heidelberg",
]
ORGANISATIONS = [
    "l'Université Paris-Saclay", "Sorbonne Université", "l'Université de Strasbourg",
    "Aix-Marseille Université", "l'Université de Montpellier", "l'Université Grenoble Alpes",
    "l'Université de Bordeaux", "l'Université de Lille", "l'Université de Rennes",
    "Nantes Université", "l'Université Claude Bernard Lyon 1", "l'Université Toulouse III",
    "l'Université Côte d'Azur", "l'Université de Caen Normandie", "l'Inserm", "l'Inrae", "le CEA",
    "l'Inria", "l'IRD", "l'École polytechnique", "l'ENS de Lyon", "Mines Paris",
    "l'Institut Pasteur", "l'Observatoire de Paris", "Météo-France", "l'Ifremer",
]
EN_ORGANISATIONS = [
    "Paris-Saclay University", "Sorbonne University", "the University of Strasbourg",
    "Aix-Marseille University", "the University of Montpellier", "Grenoble Alpes University",
    "the University of Bordeaux", "the University of Lille", "Inserm", "INRAE", "CEA", "Inria",
    "IRD", "École polytechnique", "ENS Lyon", "the Pasteur Institute", "the Paris Observatory",
    "the Max Planck Society", "the Helmholtz Association", "the University of Tokyo",
    "the National University of Singapore",
]
DISCIPLINES_FR = [
    "physique théorique", "chimie moléculaire", "biologie cellulaire", "écologie marine",
    "sciences de la Terre", "astrophysique", "mathématiques appliquées",
    "informatique fondamentale", "génie des procédés", "mécanique des fluides", "neurosciences",
    "génétique", "sociologie politique", "histoire médiévale", "archéologie", "linguistique",
    "économie du développement", "géographie urbaine", "physique des particules",
    "science des matériaux", "photonique", "glaciologie", "océanographie", "microbiologie",
    "immunologie", "robotique", "intelligence artificielle", "climatologie", "volcanologie",
    "chimie verte", "biophysique", "nanosciences", "philosophie des sciences", "démographie",
]
DISCIPLINES_EN = [
    "theoretical physics", "molecular chemistry", "cell biology", "marine ecology",
    "Earth sciences", "astrophysics", "applied mathematics", "theoretical computer science",
    "process engineering", "fluid mechanics", "neuroscience", "genetics", "political sociology",
    "medieval history", "archaeology", "linguistics", "development economics", "particle physics",
    "materials science", "photonics", "glaciology", "oceanography", "microbiology", "immunology",
    "robotics", "artificial intelligence", "climatology", "volcanology",
]
UNIT_PREFIXES = ["UMR", "UPR", "UAR", "IRL", "FR", "EMR"]
GROUPS = [
    "directeurs-unite", "delegues-regionaux", "drh-gestionnaires", "responsables-administratifs",
    "dsi-admins", "comite-direction", "correspondants-formation",
]
FR_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
]
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
FR_ROLES = [
    "délégué régional", "déléguée régionale adjointe", "directeur d'institut",
    "directrice adjointe", "responsable du service des ressources humaines",
    "responsable du service financier", "ingénieur régional de prévention",
    "fonctionnaire sécurité défense", "chargée de mission", "directeur de la DSI",
    "responsable du service partenariat et valorisation",
]
EN_ROLES = [
    "regional delegate", "deputy regional delegate", "institute director", "deputy director",
    "head of human resources", "head of finance", "regional prevention engineer",
    "security and defence officer", "project officer", "head of IT",
]
OFFICES_ABROAD = [
    ("beijing", "Pékin", "Chine"),
    ("brussels", "Bruxelles", "Belgique"),
    ("new-delhi", "New Delhi", "Inde"),
    ("pretoria", "Pretoria", "Afrique du Sud"),
    ("rio-de-janeiro", "Rio de Janeiro", "Brésil"),
    ("singapore", "Singapour", "Singapour"),
    ("tokyo", "Tokyo", "Japon"),
    ("washington", "Washington", "États-Unis"),
]

# fmt: on
