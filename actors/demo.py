"""Demo actors: the real organisations of the source documents (``../shared/seeds``), their
capacities and key contacts, and the demo users (one per role, plus each member's signatory).

People are fictional; organisations, places and programmes are the documents' own. Loaded by
``manage.py load_demo``; every row is looked up by its natural key, so loading twice changes
nothing.
"""

from django.contrib.auth.hashers import make_password

from .models import Capacity, ContactPerson, Organisation, Role, Sector, User

DEMO_PASSWORD = "alianza-demo"
DEMO_DOMAIN = "demo.alianza.org"

PUB, PRI, CSO, ACA, INT, MED = (
    Sector.PUBLIC,
    Sector.PRIVATE,
    Sector.CIVIL_SOCIETY,
    Sector.ACADEMIA,
    Sector.INTERNATIONAL,
    Sector.MEDIA,
)

# name, acronym, sector, subtype, level, country, territory, website, description, interests,
# CSR topics, previous partnership experience, capacities [(area, description)].
ORGANISATIONS = [
    # ----- Chile: "Quiero mi barrio" (000 §2.2) ---------------------------------------------
    {
        "name": "Subsecretaría de Telecomunicaciones",
        "acronym": "SUBTEL",
        "sector": PUB,
        "subtype": "Regulator",
        "level": "national",
        "country": "CL",
        "territory": "Santiago de Chile",
        "website": "https://www.subtel.gob.cl",
        "description": "Chile's telecommunications regulation authority.",
        "interests": "Reduce the digital divide; affordable broadband for disfavoured neighbourhoods.",
        "partnership_experience": "Quiero mi barrio connectivity and telecentre concourses (2007).",
        "capacities": [
            ("political", "Sets the rules for subsidised telecentres and connectivity tenders"),
            ("financial", "State subsidies for community telecentres and neighbourhood networks"),
            ("knowledge", "Long-term impact evaluation of digital inclusion programmes"),
        ],
    },
    {
        "name": "Ministerio de Vivienda y Urbanismo",
        "acronym": "MINVU",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "CL",
        "territory": "Chile",
        "website": "https://www.minvu.gob.cl",
        "description": "Ministry for homes and urbanism; runs the Quiero mi barrio neighbourhood "
        "improvement programme.",
        "interests": "Improvement of 200 disfavoured neighbourhoods.",
        "capacities": [
            ("territorial", "Neighbourhood councils in 200 disfavoured neighbourhoods"),
            ("community", "Neighbourhood improvement programme with resident participation"),
        ],
    },
    {
        "name": "Asociación de Telecentristas Activos de Chile",
        "acronym": "ATACH",
        "sector": CSO,
        "subtype": "Association of telecentres",
        "level": "national",
        "country": "CL",
        "territory": "Chile",
        "description": "Association of social organisations running community telecentres.",
        "capacities": [
            ("community", "Community-based ICT access and training in telecentres"),
            ("technical", "Business and sustainability plans for telecentres"),
        ],
    },
    {
        "name": "Asociación Chilena de Municipalidades",
        "acronym": "AChM",
        "sector": PUB,
        "subtype": "Association of municipalities",
        "level": "local",
        "country": "CL",
        "territory": "Chile",
        "website": "https://www.achm.cl",
        "description": "The Chilean municipalities that host the neighbourhood telecentres.",
        "capacities": [("logistics", "Premises and local logistics for telecentres")],
    },
    {
        "name": "Empresas de Telecomunicaciones de Chile",
        "acronym": "ETC",
        "sector": PRI,
        "subtype": "Consortium of telecommunication companies",
        "level": "national",
        "country": "CL",
        "territory": "Chile",
        "description": "The telecommunication companies awarded the connectivity concourse for the "
        "200 neighbourhoods.",
        "interests": "New subscribers in neighbourhoods outside the established business model.",
        "capacities": [
            ("logistics", "Data networks and home broadband at fair prices"),
            ("technical", "Network deployment and operation"),
        ],
    },
    # ----- Argentina: eCOM-LAC, AACREA (000) ------------------------------------------------
    {
        "name": "eCOM-LAC",
        "acronym": "eCOM-LAC",
        "sector": PRI,
        "subtype": "Association of companies",
        "level": "international",
        "country": "AR",
        "territory": "Buenos Aires",
        "website": "https://www.ecom-lac.org",
        "description": "Association of private sector organisations that promote the Internet and "
        "e-commerce in Latin America and the Caribbean.",
        "partnership_experience": "EU @lis consortium ATLAS MI LUGAR (e-education).",
        "capacities": [
            ("technical", "Internet and e-commerce services industry expertise"),
            ("communication", "Network of private ICT companies in the region"),
        ],
    },
    {
        "name": "AACREA",
        "acronym": "AACREA",
        "sector": CSO,
        "subtype": "Producer association (NGO)",
        "level": "national",
        "country": "AR",
        "territory": "Santa Fe and the Pampas",
        "website": "https://www.crea.org.ar",
        "description": "Argentine association of regional consortia of farmers for agricultural "
        "experimentation and knowledge management in rural areas.",
        "capacities": [("knowledge", "Knowledge management among rural farmers' groups")],
    },
    # ----- Ecuador: ChasquiNet, Escuelas Inter@ctivas, iMallsAmericas (000) ------------------
    {
        "name": "Fundación ChasquiNet",
        "acronym": "ChasquiNet",
        "sector": CSO,
        "subtype": "NGO",
        "level": "national",
        "country": "EC",
        "territory": "Quito",
        "website": "https://www.chasquinet.org",
        "description": "NGO working for more than eight years on telecentres, education and "
        "networking in Ecuador and throughout the region.",
        "partnership_experience": "Executor of Escuelas Inter@ctivas; partner of iMallsAmericas.",
        "capacities": [
            ("technical", "Project management of ICT-for-education programmes"),
            ("community", "Network of community telecentres in Ecuador"),
            ("knowledge", "Teacher training methodologies (Escuela Activa)"),
        ],
    },
    {
        "name": "Microsoft",
        "acronym": "MSFT",
        "sector": PRI,
        "subtype": "Company",
        "level": "international",
        "country": "US",
        "territory": "Ecuador (Partners in Learning)",
        "description": "Contributes financial resources and support through the world-wide "
        "Partners in Learning programme.",
        "csr_topics": "Education; digital skills for teachers.",
        "capacities": [
            ("financial", "Partners in Learning grants for teacher training"),
            ("technical", "Software and ICT training content for schools"),
        ],
    },
    {
        "name": "Escuela Virtual",
        "acronym": "",
        "sector": ACA,
        "subtype": "Training centre",
        "level": "national",
        "country": "CO",
        "territory": "Manizales",
        "description": "GKP partner; strategic ally in shaping the Escuelas Inter@ctivas methodology.",
        "capacities": [("knowledge", "Constructivist e-learning methodologies for teachers")],
    },
    {
        "name": "Ministerio de Educación del Ecuador",
        "acronym": "MINEDUC",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "EC",
        "territory": "Ecuador",
        "website": "https://educacion.gob.ec",
        "description": "Accredits the Escuelas Inter@ctivas training; certifies teachers.",
        "capacities": [("political", "Official accreditation of teacher training")],
    },
    {
        "name": "Municipio del Distrito Metropolitano de Quito",
        "acronym": "MDMQ",
        "sector": PUB,
        "subtype": "Municipality",
        "level": "local",
        "country": "EC",
        "territory": "Quito",
        "capacities": [("logistics", "Infrastructure and logistics for training sessions")],
    },
    {
        "name": "Gobierno Autónomo Descentralizado de Ibarra",
        "acronym": "GAD Ibarra",
        "sector": PUB,
        "subtype": "Municipality",
        "level": "local",
        "country": "EC",
        "territory": "Ibarra, Imbabura",
        "capacities": [("logistics", "Infrastructure and logistics for training sessions")],
    },
    {
        "name": "iMallsGlobal, Inc.",
        "acronym": "iMalls",
        "sector": PRI,
        "subtype": "Company",
        "level": "international",
        "country": "US",
        "description": "U.S. company that integrates international logistics and payments "
        "facilities from traditional vendors throughout the Americas.",
        "capacities": [
            ("logistics", "International logistics and payment services for small merchants"),
            ("technical", "E-commerce platform for telecentres"),
        ],
    },
    {
        "name": "United Parcel Service",
        "acronym": "UPS",
        "sector": PRI,
        "subtype": "Company",
        "level": "international",
        "country": "US",
        "capacities": [("logistics", "Parcel shipping for merchants in underserved communities")],
    },
    {
        "name": "Telecenters of the Americas Partnership",
        "acronym": "TAP",
        "sector": CSO,
        "subtype": "Network of telecentres",
        "level": "international",
        "country": "US",
        "territory": "Canada to Chile",
        "description": "More than 5,000 telecentre members in underserved communities.",
        "capacities": [("territorial", "5,000 telecentres across the Americas")],
    },
    {
        "name": "M. S. Swaminathan Research Foundation",
        "acronym": "MSSRF",
        "sector": ACA,
        "subtype": "Research centre",
        "level": "international",
        "country": "IN",
        "territory": "Chennai",
        "capacities": [("knowledge", "Rural knowledge centres and ICT for agriculture")],
    },
    {
        "name": "Global Knowledge Partnership",
        "acronym": "GKP",
        "sector": INT,
        "subtype": "Multi-stakeholder network",
        "level": "international",
        "country": "MY",
        "description": "Supported the 2007 knowledge-sharing exchange of SUBTEL, eCOM-LAC and "
        "ChasquiNet.",
        "capacities": [("financial", "Small grants for knowledge sharing between members")],
    },
    # ----- Peru: Partnership for Child Nutrition, Handwashing, Ally Micuy, PREDECI (001) ----
    {
        "name": "CARE Perú",
        "acronym": "CARE",
        "sector": CSO,
        "subtype": "NGO",
        "level": "national",
        "country": "PE",
        "territory": "Lima, Áncash, Huancavelica",
        "website": "https://www.care.org.pe",
        "description": "Co-implements the Partnership for Child Nutrition Project; facilitator "
        "(\u201ccatalyst\u201d) of public-private partnerships in nutrition.",
        "partnership_experience": "Handwashing project in Huaraz; Partnership for Child Nutrition.",
        "capacities": [
            ("community", "Community health agents in Áncash and Huancavelica"),
            ("technical", "Facilitation of multi-stakeholder partnerships"),
            ("knowledge", "Child nutrition and hygiene behaviour change"),
        ],
    },
    {
        "name": "ADRA Perú",
        "acronym": "ADRA",
        "sector": CSO,
        "subtype": "NGO",
        "level": "national",
        "country": "PE",
        "territory": "Southern Áncash; Llata (Huánuco)",
        "website": "https://adra.org.pe",
        "description": "Development organisation; co-implements the Partnership for Child "
        "Nutrition Project and implemented Ally Micuy in southern Áncash.",
        "capacities": [
            ("community", "Community Health Agents (ACS) visiting mothers weekly"),
            ("territorial", "Teams in southern Áncash"),
        ],
    },
    {
        "name": "Cáritas del Perú",
        "acronym": "CARITAS",
        "sector": CSO,
        "subtype": "Church organisation",
        "level": "national",
        "country": "PE",
        "territory": "Northern Áncash",
        "website": "https://www.caritas.org.pe",
        "description": "Co-implements the Partnership for Child Nutrition Project; implemented "
        "Ally Micuy in northern Áncash with Community Nutrition Educators.",
        "capacities": [
            ("community", "Community Nutrition Educators (ECN)"),
            ("knowledge", "Anaemia reduction with ferrous sulphate supplementation"),
        ],
    },
    {
        "name": "Asociación Benéfica PRISMA",
        "acronym": "PRISMA",
        "sector": CSO,
        "subtype": "NGO",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "website": "https://www.prisma.org.pe",
        "description": "Co-implements the Partnership for Child Nutrition Project; carried out the "
        "Handwashing Initiative's behavioural study in six regions.",
        "capacities": [
            ("knowledge", "Behavioural and formative research in health"),
            ("technical", "Monitoring and evaluation of nutrition programmes"),
        ],
    },
    {
        "name": "Ministerio de Salud del Perú",
        "acronym": "MINSA",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "PE",
        "territory": "Peru",
        "website": "https://www.gob.pe/minsa",
        "description": "Ministry of Health; hosts the National Handwashing Commission.",
        "interests": "Reduce chronic child malnutrition, anaemia and childhood diarrhoea.",
        "capacities": [
            ("political", "Ministerial resolutions and sector plans (handwashing, nutrition)"),
            ("territorial", "Health facilities and community health agents nation-wide"),
            ("technical", "Health experts seconded to partnerships"),
        ],
    },
    {
        "name": "Ministerio de Educación del Perú",
        "acronym": "MINEDU",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "PE",
        "territory": "Peru",
        "website": "https://www.gob.pe/minedu",
        "capacities": [("territorial", "Public schools for the handwashing school programme")],
    },
    {
        "name": "Ministerio de Desarrollo e Inclusión Social",
        "acronym": "MIDIS",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "PE",
        "territory": "Peru",
        "website": "https://www.gob.pe/midis",
        "capacities": [("financial", "Performance incentives for regions reducing malnutrition")],
    },
    {
        "name": "Gobierno Regional de Áncash",
        "acronym": "GORE Áncash",
        "sector": PUB,
        "subtype": "Regional government",
        "level": "regional",
        "country": "PE",
        "territory": "Áncash",
        "capacities": [
            ("political", "Regional child nutrition policy and budget"),
            ("territorial", "Regional Health Directorate of Áncash"),
        ],
    },
    {
        "name": "Gobierno Regional de Huancavelica",
        "acronym": "GORE Huancavelica",
        "sector": PUB,
        "subtype": "Regional government",
        "level": "regional",
        "country": "PE",
        "territory": "Huancavelica",
        "description": "The only regional government with a working agency for the promotion of "
        "private investment (001).",
        "capacities": [
            ("political", "Regional agency for the promotion of private investment"),
            ("territorial", "Regional Health Directorate of Huancavelica"),
        ],
    },
    {
        "name": "Gobierno Regional de Cajamarca",
        "acronym": "GORE Cajamarca",
        "sector": PUB,
        "subtype": "Regional government",
        "level": "regional",
        "country": "PE",
        "territory": "Cajamarca",
        "capacities": [("political", "Leads the Partnership for Nutrition in Cajamarca")],
    },
    {
        "name": "Asociación Los Andes de Cajamarca",
        "acronym": "ALAC",
        "sector": PRI,
        "subtype": "Corporate foundation",
        "level": "regional",
        "country": "PE",
        "territory": "Cajamarca",
        "capacities": [("financial", "Social investment of mining companies in Cajamarca")],
    },
    {
        "name": "Alicorp S.A.A.",
        "acronym": "Alicorp",
        "sector": PRI,
        "subtype": "Company (soap, detergents and food)",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "csr_topics": "Hygiene and nutrition of children.",
        "interests": "Soap market growth through handwashing habits.",
        "capacities": [
            ("communication", "Mass-media marketing and consumer research"),
            ("logistics", "Nation-wide distribution of soap"),
        ],
    },
    {
        "name": "Intradevco Industrial S.A.",
        "acronym": "Intradevco",
        "sector": PRI,
        "subtype": "Company (soap and detergents)",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "capacities": [("logistics", "Soap donations for schools")],
    },
    {
        "name": "Colgate-Palmolive Perú",
        "acronym": "Colgate",
        "sector": PRI,
        "subtype": "Company (soap and hygiene products)",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "partnership_experience": "Central American Handwashing Initiative (1996-1999).",
        "capacities": [("communication", "Handwashing campaigns with soap brands")],
    },
    {
        "name": "Compañía Minera Antamina S.A.",
        "acronym": "Antamina",
        "sector": PRI,
        "subtype": "Mining company",
        "level": "regional",
        "country": "PE",
        "territory": "San Marcos, Huari, Áncash",
        "csr_topics": "Child nutrition, education and productive projects in its area of influence.",
        "capacities": [
            (
                "financial",
                "Voluntary contributions under the Mining Programme of Solidarity with the People",
            )
        ],
    },
    {
        "name": "Fondo Minero Antamina",
        "acronym": "FMA",
        "sector": PRI,
        "subtype": "Corporate fund",
        "level": "regional",
        "country": "PE",
        "territory": "Áncash",
        "description": "Voluntary fund of Compañía Minera Antamina created in April 2007; "
        "organised the Ally Micuy project.",
        "partnership_experience": "Ally Micuy (2007-2011), S/ 78.2 million in four years.",
        "capacities": [("financial", "Funding of health and nutrition projects in Áncash")],
    },
    {
        "name": "Radio Programas del Perú",
        "acronym": "RPP",
        "sector": MED,
        "subtype": "Radio network",
        "level": "national",
        "country": "PE",
        "territory": "Peru",
        "capacities": [("communication", "Radio series and news coverage across Peru")],
    },
    {
        "name": "Pontificia Universidad Católica del Perú",
        "acronym": "PUCP",
        "sector": ACA,
        "subtype": "University",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "website": "https://www.pucp.edu.pe",
        "capacities": [
            ("knowledge", "CENTRUM Católica research on CSR and public-private partnerships")
        ],
    },
    {
        "name": "Agencia Peruana de Cooperación Internacional",
        "acronym": "APCI",
        "sector": PUB,
        "subtype": "Cooperation agency",
        "level": "national",
        "country": "PE",
        "territory": "Lima",
        "capacities": [("political", "Registers and oversees international cooperation")],
    },
    # ----- Donors and cooperation agencies -------------------------------------------------
    {
        "name": "United States Agency for International Development",
        "acronym": "USAID",
        "sector": INT,
        "subtype": "Bilateral agency",
        "level": "international",
        "country": "US",
        "territory": "Peru mission, Lima",
        "description": "Finances the Partnership for Child Nutrition Project and co-financed the "
        "Handwashing Initiative's creative process and PREDECI.",
        "capacities": [("financial", "Grants for child nutrition and hygiene programmes")],
    },
    {
        "name": "World Bank – Water and Sanitation Program",
        "acronym": "WSP",
        "sector": INT,
        "subtype": "Multilateral agency",
        "level": "international",
        "country": "US",
        "territory": "Lima office",
        "description": "Global Public-Private Partnership for Handwashing; technical assistance.",
        "capacities": [
            ("technical", "Handwashing behaviour-change methodology"),
            ("financial", "Trust funds for hygiene promotion"),
        ],
    },
    {
        "name": "Agencia Suiza para el Desarrollo y la Cooperación",
        "acronym": "COSUDE",
        "sector": INT,
        "subtype": "Bilateral agency",
        "level": "international",
        "country": "CH",
        "territory": "Lima office",
        "capacities": [("financial", "Water and sanitation co-financing with MINSA")],
    },
    {
        "name": "Programa de las Naciones Unidas para el Desarrollo – Perú",
        "acronym": "UNDP",
        "sector": INT,
        "subtype": "Multilateral agency",
        "level": "international",
        "country": "PE",
        "capacities": [("financial", "Co-financing and fund administration")],
    },
    {
        "name": "Fondo de las Américas",
        "acronym": "FONDAM",
        "sector": INT,
        "subtype": "Bilateral fund",
        "level": "national",
        "country": "PE",
        "capacities": [("financial", "Financing of the handwashing school programme")],
    },
    {
        "name": "Inter-American Development Bank",
        "acronym": "IDB",
        "sector": INT,
        "subtype": "Development bank",
        "level": "international",
        "country": "US",
        "capacities": [("financial", "Loans and technical cooperation for social programmes")],
    },
    # ----- Colombia and Honduras: SERVIVIENDA (003) ----------------------------------------
    {
        "name": "Fundación Servicio de Vivienda Popular",
        "acronym": "SERVIVIENDA",
        "sector": CSO,
        "subtype": "NGO (Society of Jesus, 1976)",
        "level": "international",
        "country": "CO",
        "territory": "Bogotá",
        "website": "https://www.servivienda.org.co",
        "description": "Social, not-for-profit institution pioneering light prefabricated housing, "
        "schools and health posts; works in ten countries of the region.",
        "capacities": [
            ("technical", "Light prefabrication technology for low-cost modular housing"),
            ("financial", "Financial facilities for low-income families to buy homes"),
        ],
    },
    {
        "name": "Federación para el Desarrollo Comunitario de Honduras",
        "acronym": "FEDECOH",
        "sector": CSO,
        "subtype": "Federation of community organisations",
        "level": "national",
        "country": "HN",
        "territory": "Tegucigalpa",
        "description": "Honduran counterpart of the SERVIVIENDA cooperation project.",
        "capacities": [("community", "Community development organisations across Honduras")],
    },
    {
        "name": "Agencia Presidencial de Cooperación Internacional de Colombia",
        "acronym": "APC-Colombia",
        "sector": PUB,
        "subtype": "Cooperation agency",
        "level": "national",
        "country": "CO",
        "territory": "Bogotá",
        "capacities": [("political", "South-South cooperation agreements of Colombia")],
    },
    {
        "name": "Secretaría de Relaciones Exteriores y Cooperación Internacional de Honduras",
        "acronym": "SRECI",
        "sector": PUB,
        "subtype": "Ministry",
        "level": "national",
        "country": "HN",
        "territory": "Tegucigalpa",
        "capacities": [("political", "Honduran counterpart for technical cooperation agreements")],
    },
    {
        "name": "Fondo de Cooperación para Centroamérica y el Caribe",
        "acronym": "FCCC",
        "sector": INT,
        "subtype": "Regional cooperation fund (Colombia, Mexico, Venezuela)",
        "level": "international",
        "country": "CO",
        "capacities": [("financial", "Public funds for South-South technical cooperation")],
    },
]

# email (before @), full name, organisation acronym, role, position, language, signs for it.
# The first five are the demo logins; the rest are each member organisation's signatory.
PEOPLE = [
    ("facilitator", "Lucía Mendoza", "CARE", Role.FACILITATOR, "Partnership facilitator", "es"),
    ("official", "Jorge Quispe", "MINSA", Role.OFFICIAL, "Director of Health Promotion", "es"),
    ("partner", "Daniel Andrade", "ChasquiNet", Role.PARTNER, "Programme director", "en"),
    ("donor", "Sarah Whitfield", "USAID", Role.DONOR, "Health programme officer", "en"),
    ("admin", "Alianza Administrator", None, Role.ADMINISTRATOR, "Platform administrator", "en"),
    ("subtel", "Claudia Fuentes", "SUBTEL", Role.OFFICIAL, "Head of digital inclusion", "es"),
    ("minvu", "Rodrigo Araya", "MINVU", Role.OFFICIAL, "Quiero mi barrio coordinator", "es"),
    ("atach", "Marcela Soto", "ATACH", Role.PARTNER, "President", "es"),
    ("achm", "Patricio Lagos", "AChM", Role.OFFICIAL, "Executive secretary", "es"),
    ("etc", "Felipe Ríos", "ETC", Role.PARTNER, "Regulatory affairs manager", "es"),
    ("ecomlac", "Martín Ferreyra", "eCOM-LAC", Role.PARTNER, "Executive director", "es"),
    ("aacrea", "Laura Bianchi", "AACREA", Role.PARTNER, "Regional coordinator", "es"),
    ("microsoft", "Andrea Paredes", "MSFT", Role.DONOR, "Partners in Learning lead", "en"),
    ("escuelavirtual", "Camilo Ospina", "Escuela Virtual", Role.PARTNER, "Director", "es"),
    ("mineduc", "Verónica Salazar", "MINEDUC", Role.OFFICIAL, "Teacher training director", "es"),
    ("quito", "Hernán Cevallos", "MDMQ", Role.OFFICIAL, "Education secretary", "es"),
    ("ibarra", "Gabriela Pozo", "GAD Ibarra", Role.OFFICIAL, "Social development director", "es"),
    ("imalls", "Robert Klein", "iMalls", Role.PARTNER, "Vice-president, Americas", "en"),
    ("ups", "Michelle Grant", "UPS", Role.PARTNER, "Community relations manager", "en"),
    ("tap", "Elena Duarte", "TAP", Role.PARTNER, "Network coordinator", "es"),
    ("mssrf", "Priya Raman", "MSSRF", Role.PARTNER, "Programme scientist", "en"),
    ("care", "Rosa Huamán", "CARE", Role.PARTNER, "Country director", "es"),
    ("adra", "Miguel Torres", "ADRA", Role.PARTNER, "Programme director", "es"),
    ("caritas", "Teresa Ccahuana", "CARITAS", Role.PARTNER, "Nutrition programme head", "es"),
    ("prisma", "Julio Vargas", "PRISMA", Role.PARTNER, "Research director", "es"),
    ("minedu", "Carmen Rojas", "MINEDU", Role.OFFICIAL, "Director of school health", "es"),
    ("ancash", "Walter Huerta", "GORE Áncash", Role.OFFICIAL, "Social development manager", "es"),
    ("huancavelica", "Nelly Ccora", "GORE Huancavelica", Role.OFFICIAL, "Health director", "es"),
    (
        "cajamarca",
        "Óscar Chávez",
        "GORE Cajamarca",
        Role.OFFICIAL,
        "Social development manager",
        "es",
    ),
    ("losandes", "Silvia Terrones", "ALAC", Role.PARTNER, "Executive director", "es"),
    ("alicorp", "Diego Benavides", "Alicorp", Role.PARTNER, "Home care marketing manager", "es"),
    ("intradevco", "Paola Medina", "Intradevco", Role.PARTNER, "Brand manager", "es"),
    ("colgate", "Ricardo Salas", "Colgate", Role.PARTNER, "Corporate affairs manager", "es"),
    ("fma", "Inés Valverde", "FMA", Role.DONOR, "Executive director", "es"),
    ("rpp", "Mario Gálvez", "RPP", Role.PARTNER, "Social responsibility manager", "es"),
    ("wsp", "Thomas Becker", "WSP", Role.DONOR, "Water and sanitation specialist", "en"),
    ("cosude", "Anna Meier", "COSUDE", Role.DONOR, "Programme officer", "es"),
    ("servivienda", "Alberto Gómez", "SERVIVIENDA", Role.PARTNER, "Director", "es"),
    ("fedecoh", "Karla Zelaya", "FEDECOH", Role.PARTNER, "President", "es"),
    (
        "apc",
        "Natalia Restrepo",
        "APC-Colombia",
        Role.OFFICIAL,
        "South-South cooperation director",
        "es",
    ),
    ("sreci", "Luis Banegas", "SRECI", Role.OFFICIAL, "Director of cooperation", "es"),
    ("fccc", "Adriana Pineda", "FCCC", Role.DONOR, "Fund secretary", "es"),
]

# The demo logins printed by ``load_demo``: (email, role label, organisation).
LOGIN_KEYS = ("facilitator", "official", "partner", "donor", "admin")


def email_for(key: str) -> str:
    return f"{key}@{DEMO_DOMAIN}"


def load(stdout) -> None:
    orgs = _load_organisations()
    users = _load_people(orgs)
    stdout.write(f"  actors: {len(orgs)} organisations, {len(users)} demo users")


def _load_organisations() -> dict[str, Organisation]:
    by_acronym = {}
    for data in ORGANISATIONS:
        data = dict(data)
        capacities = data.pop("capacities", [])
        name = data.pop("name")
        org, _ = Organisation.objects.get_or_create(name=name, defaults=data)
        for area, description in capacities:
            Capacity.objects.get_or_create(organisation=org, area=area, description=description)
        by_acronym[data.get("acronym") or name] = org
    return by_acronym


def _load_people(orgs: dict[str, Organisation]) -> list[User]:
    # One hash for every demo user: hashing dozens of passwords would slow `make run` down.
    password = None
    users = []
    for key, full_name, org_key, role, position, language in PEOPLE:
        org = orgs[org_key] if org_key else None
        user = User.objects.filter(email=email_for(key)).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            is_admin = role == Role.ADMINISTRATOR
            user = User.objects.create(
                email=email_for(key),
                full_name=full_name,
                organisation=org,
                role=role,
                position=position,
                language=language,
                password=password,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        if org is not None:
            ContactPerson.objects.get_or_create(
                organisation=org,
                name=full_name,
                defaults={"position": position, "email": user.email, "is_key_leader": True},
            )
        users.append(user)
    return users


def signatory(organisation: Organisation) -> User | None:
    """The person who signs for ``organisation`` in the demo partnerships."""
    users = User.objects.filter(organisation=organisation, email__endswith=f"@{DEMO_DOMAIN}")
    # The demo official signs for their ministry; elsewhere the organisation's own signatory.
    preferred = users.filter(email=email_for("official")).first()
    non_login = users.exclude(email__in=[email_for(k) for k in LOGIN_KEYS]).order_by("pk")
    return preferred or non_login.first() or users.order_by("pk").first()


def logins() -> list[tuple[str, str, str, str]]:
    """(email, password, role, organisation) of the demo logins, for the console and README."""
    rows = []
    for key in LOGIN_KEYS:
        user = User.objects.select_related("organisation").filter(email=email_for(key)).first()
        if user:
            org = user.organisation.name if user.organisation else "-"
            rows.append((user.email, DEMO_PASSWORD, user.get_role_display(), org))
    return rows
