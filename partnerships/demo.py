"""Demo partnerships: real partnerships of the source documents (``../shared/seeds``), replayed
in 2025-2027 and spread over every phase of the lifecycle.

Each partnership is built once (looked up by title) and moved to its phase through the real
transition services, with the demo facilitator as the person acting, so its history is real;
the history rows are then dated to when the step happened in the story. Before each transition
the ``prepare_transition(partnership=..., transition=..., by=...)`` hook of any other app's demo
module is called, so an app that adds a checklist item (risks, say) can supply what it asks for.
"""

import datetime
from decimal import Decimal

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from actors.demo import email_for, signatory
from actors.models import Organisation, User

from . import services
from .models import (
    ActivityStatus,
    Assessment,
    Attendance,
    Contribution,
    Indicator,
    Measurement,
    Meeting,
    Member,
    Objective,
    PartnerCandidate,
    Partnership,
    PhaseChange,
)

D = datetime.date


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


# ----- the partnerships ------------------------------------------------------------------------
# members: (organisation acronym or name, role, motivation, responsibilities)
# objectives: (kind, description, [indicator dicts with optional "measurements": [(date, value)]])
# contributions: (member, kind, description, planned, start, end, [(date, amount, note)])
# activities: (title, starts, ends, status, (objective index, indicator index) | None, person)
# meetings: (title, date, place, agenda, minutes, [people], minutes confirmed)
# steps: (transition | "assess", date, comment, extra arguments)

NUTRITION = {
    "title": "Partnership for Child Nutrition in Ancash and Huancavelica",
    "fields": {
        "problem": "Chronic child malnutrition affects about one in three children under three "
        "in the high Andean districts of Áncash and Huancavelica; anaemia affects more than "
        "half of children 6 to 35 months old. Causes: feeding and hygiene practices, unsafe "
        "water, low coverage of growth monitoring, and public programmes that do not reach "
        "the poorest communities together.",
        "common_interest": "Public health authorities, regional governments, companies and "
        "NGOs share the interest of a childhood without malnutrition: the regions meet their "
        "results-based budget targets, companies invest where their social licence depends on "
        "it, and NGOs scale up proven community approaches.",
        "general_objective": "Reduce chronic malnutrition in children under three by six "
        "percentage points in the intervention districts of Áncash and Huancavelica by 2027.",
        "scenario": "civil_society_seeks_both",
        "scope": "42 districts of Áncash (Huari, Huaraz) and Huancavelica (Acobamba, "
        "Angaraes): families with children under three and pregnant women; health facilities "
        "and municipal nutrition programmes.",
        "country": "PE",
        "territory": "Áncash and Huancavelica",
        "dac_sector": "12240",
        "sdg_goals": ["2", "3", "17"],
        "sdg_targets": ["2.2", "3.2", "17.17"],
        "start_date": D(2026, 1, 1),
        "end_date": D(2027, 12, 31),
        "modality": "csr",
        "formalisation_level": "high",
        "governance": "A steering committee (regional health directorates, MINSA, USAID and "
        "the four NGOs) meets quarterly and decides by consensus; an operating committee per "
        "region meets monthly. CARE Perú facilitates and keeps the minutes.",
        "communication_lead": "CARE Perú, with the regional governments' press offices",
        "tracking_tools": "Quarterly progress reports; growth monitoring data of the health "
        "facilities (SIEN); annual household survey by PRISMA.",
        "confidentiality": "Household data stay with the health facilities; partners receive "
        "aggregated figures only. Commercial information of companies is not disclosed.",
        "non_compliance": "A partner that does not deliver a committed contribution for two "
        "quarters is asked to present a recovery plan; the steering committee may reassign "
        "its responsibilities.",
        "assessment_criteria": "Indicators against targets; the five attributes of good "
        "cooperation (horizontality, mutual benefit, leadership of the recipient, "
        "effectiveness and efficiency, mutual accountability).",
        "assessment_dates": ["2026-12-15", "2027-06-15", "2027-12-15"],
        "currency": "PEN",
        "language": "es",
        "is_published": True,
        "public_summary": "Regional governments, MINSA, USAID and four NGOs (ADRA, CARE, "
        "CARITAS, PRISMA) working together against chronic child malnutrition in the Andes.",
    },
    "members": [
        (
            "CARE",
            "facilitator",
            "Scale up community nutrition work through public programmes.",
            "Facilitates the partnership; implements in Huancavelica.",
        ),
        (
            "ADRA",
            "implementer",
            "Apply the Ally Micuy experience with public funding.",
            "Implements community health agents' home visits in Áncash.",
        ),
        (
            "CARITAS",
            "implementer",
            "Reduce anaemia with proven supplementation.",
            "Implements anaemia prevention in Áncash.",
        ),
        (
            "PRISMA",
            "ally",
            "Generate evidence for public policy.",
            "Baseline, monitoring and final household surveys.",
        ),
        (
            "MINSA",
            "public_entity",
            "National targets on chronic malnutrition and anaemia.",
            "Technical standards; supplies (micronutrients) through health facilities.",
        ),
        (
            "GORE Áncash",
            "public_entity",
            "Regional results-based budget targets.",
            "Regional health directorate staff and co-financing.",
        ),
        (
            "GORE Huancavelica",
            "public_entity",
            "Regional results-based budget targets.",
            "Regional health directorate staff and co-financing.",
        ),
        (
            "USAID",
            "funder",
            "Sustainable reduction of malnutrition through local systems.",
            "Finances the NGOs' technical assistance.",
        ),
    ],
    "objectives": [
        (
            "specific",
            "Improve feeding and hygiene practices of families with children under three.",
            [
                {
                    "name": "Children 6-35 months receiving an adequate diet",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "38",
                    "target": "60",
                    "means_of_verification": "PRISMA household survey; SIEN records",
                    "measurements": [(D(2026, 6, 30), "41"), (D(2026, 9, 30), "45.5")],
                },
                {
                    "name": "Mothers washing hands with soap at critical times",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "22",
                    "target": "50",
                    "means_of_verification": "Structured observation in a sample of homes",
                    "measurements": [(D(2026, 9, 30), "31")],
                },
            ],
        ),
        (
            "specific",
            "Strengthen the health facilities' growth monitoring and counselling.",
            [
                {
                    "name": "Children under three with complete growth monitoring",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "45",
                    "target": "80",
                    "means_of_verification": "Regional health directorates' HIS reports",
                    "measurements": [(D(2026, 6, 30), "52"), (D(2026, 9, 30), "58")],
                },
                {
                    "name": "Community health agents trained",
                    "unit": "people",
                    "baseline": "0",
                    "target": "600",
                    "means_of_verification": "Training attendance lists",
                    "measurements": [(D(2026, 6, 30), "240"), (D(2026, 9, 30), "410")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "USAID",
            "financial",
            "Technical assistance of the four NGOs",
            "2400000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [
                (D(2026, 2, 15), "600000", "First disbursement"),
                (D(2026, 8, 15), "600000", "Second disbursement"),
            ],
        ),
        (
            "GORE Áncash",
            "financial",
            "Co-financing of micronutrients and training",
            "850000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 5, 10), "200000", "Regional budget, first semester")],
        ),
        (
            "GORE Huancavelica",
            "financial",
            "Co-financing of community health agents",
            "650000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 7, 20), "120000", "Regional budget")],
        ),
        (
            "MINSA",
            "in_kind",
            "Micronutrient powders and ferrous sulphate",
            "500000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 3, 1), "150000", "Supplies delivered to the health networks")],
        ),
        (
            "CARE",
            "human",
            "Facilitation and Huancavelica field team",
            "420000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 6, 30), "105000", "First semester, staff time")],
        ),
        (
            "ADRA",
            "human",
            "Community health agents' supervision in Áncash",
            "380000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 6, 30), "95000", "First semester, staff time")],
        ),
        (
            "CARITAS",
            "human",
            "Anaemia prevention teams in Áncash",
            "360000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [],
        ),
        (
            "PRISMA",
            "knowledge",
            "Baseline and monitoring surveys",
            "180000",
            D(2026, 1, 1),
            D(2027, 12, 31),
            [(D(2026, 3, 31), "60000", "Baseline survey report")],
        ),
    ],
    "activities": [
        ("Baseline household survey", D(2026, 1, 15), D(2026, 3, 31), "done", (0, 0), "prisma"),
        (
            "Training of community health agents",
            D(2026, 3, 1),
            D(2026, 12, 15),
            "in_progress",
            (1, 1),
            "care",
        ),
        (
            "Home visits to families with children under three",
            D(2026, 4, 1),
            D(2027, 11, 30),
            "in_progress",
            (0, 0),
            "adra",
        ),
        (
            "Handwashing stations in 120 community kitchens",
            D(2026, 6, 1),
            D(2026, 11, 15),
            "in_progress",
            (0, 1),
            "caritas",
        ),
        (
            "Mid-term assessment workshop",
            D(2026, 12, 10),
            D(2026, 12, 15),
            "planned",
            None,
            "facilitator",
        ),
    ],
    "meetings": [
        (
            "Steering committee: launch and work plan",
            D(2026, 2, 5),
            "Huaraz",
            "1. Agreement in force. 2. Work plan 2026. 3. Reporting calendar.",
            "The work plan 2026 is approved. USAID confirms the first disbursement for February. "
            "Regional health directorates name their focal points before 20 February.",
            [
                "facilitator",
                "official",
                "ancash",
                "huancavelica",
                "adra",
                "caritas",
                "prisma",
                "donor",
            ],
            True,
        ),
        (
            "Steering committee: second quarter",
            D(2026, 7, 9),
            "Huancavelica",
            "1. Progress against indicators. 2. Contributions delivered. 3. Risks.",
            "Growth monitoring rose from 45% to 52%. The Huancavelica co-financing is delayed "
            "by the regional budget calendar; the regional government commits to transfer it "
            "in July. CARITAS presents the anaemia results of the first semester.",
            ["facilitator", "official", "huancavelica", "caritas", "donor"],
            True,
        ),
        (
            "Steering committee: third quarter",
            D(2026, 10, 15),
            "Lima",
            "1. Progress. 2. Preparing the December assessment. 3. New regional authorities.",
            "The partners agree the terms of reference of the December assessment. The "
            "facilitator will brief the regional authorities elected in October.",
            ["facilitator", "official", "ancash", "adra", "prisma"],
            False,
        ),
    ],
    "candidates": [
        ("Antamina", 4, 5, 4, 4, 5, "Mining fund of Ally Micuy; strong in Áncash only."),
        ("MIDIS", 4, 3, 5, 3, 3, "Results-based incentives for the regions."),
        ("RPP", 3, 2, 3, 2, 3, "National radio for behaviour change messages."),
    ],
    "steps": [
        ("start_design", D(2025, 11, 10), "The regions, MINSA and USAID agree to negotiate.", {}),
        ("start_operation", D(2026, 1, 12), "Agreement signed by all members in Lima.", {}),
    ],
}

QUIERO_MI_BARRIO = {
    "title": "Quiero mi barrio: digital inclusion in 200 neighbourhoods",
    "fields": {
        "problem": "The 200 most disfavoured neighbourhoods of Chile have neither home "
        "broadband at fair prices nor community access to ICTs; operators consider them "
        "outside their business model.",
        "common_interest": "Reduce the digital divide in the neighbourhoods of the Quiero mi "
        "barrio programme: the state subsidises, telecentre organisations run community "
        "access, operators gain subscribers.",
        "general_objective": "Include the people of 200 disfavoured neighbourhoods in the "
        "information society, combining affordable broadband with community telecentres.",
        "scenario": "public_seeks_private",
        "scope": "200 neighbourhoods of the Quiero mi barrio programme in all regions of Chile.",
        "country": "CL",
        "territory": "200 neighbourhoods, all regions of Chile",
        "dac_sector": "22040",
        "sdg_goals": ["9", "11", "17"],
        "sdg_targets": ["9.c", "11.1", "17.17"],
        "start_date": D(2025, 3, 1),
        "end_date": D(2027, 12, 31),
        "modality": "inclusive_markets",
        "formalisation_level": "high",
        "governance": "SUBTEL sets the rules of both concourses and chairs a programme "
        "committee with MINVU; telecentre organisations and operators report to it monthly.",
        "communication_lead": "SUBTEL",
        "tracking_tools": "Network coverage reports of the operators; telecentre usage "
        "statistics; SUBTEL's long-term impact study.",
        "confidentiality": "Operators' commercial offers are confidential until awarded.",
        "non_compliance": "Subsidies are paid against verified milestones; an operator that "
        "misses coverage milestones loses the next payment.",
        "assessment_criteria": "Coverage, adoption of home broadband, telecentre use and "
        "sustainability plans.",
        "assessment_every_months": 12,
        "currency": "CLP",
        "language": "es",
        "is_published": True,
        "public_summary": "SUBTEL, MINVU, telecentre organisations, operators and "
        "municipalities bring broadband and telecentres to 200 neighbourhoods.",
    },
    "members": [
        (
            "SUBTEL",
            "public_entity",
            "Reduce the digital divide.",
            "Rules, subsidies and the impact study.",
        ),
        (
            "MINVU",
            "public_entity",
            "Embed ICTs in neighbourhood improvement.",
            "Neighbourhood councils and programme integration.",
        ),
        (
            "ATACH",
            "implementer",
            "Sustainable community telecentres.",
            "Runs the subsidised telecentres.",
        ),
        (
            "ETC",
            "implementer",
            "New subscribers at fair prices.",
            "Builds and operates the neighbourhood networks.",
        ),
        (
            "AChM",
            "beneficiary",
            "Services for their residents.",
            "Premises and local support for telecentres.",
        ),
    ],
    "objectives": [
        (
            "specific",
            "Deploy data networks in each of the 200 neighbourhoods.",
            [
                {
                    "name": "Neighbourhoods with a data network",
                    "unit": "neighbourhoods",
                    "baseline": "0",
                    "target": "200",
                    "means_of_verification": "SUBTEL coverage inspections",
                    "measurements": [
                        (D(2025, 9, 30), "64"),
                        (D(2026, 3, 31), "131"),
                        (D(2026, 9, 30), "172"),
                    ],
                },
            ],
        ),
        (
            "specific",
            "Offer community-based access to ICTs through telecentres.",
            [
                {
                    "name": "Community telecentres running",
                    "unit": "telecentres",
                    "baseline": "0",
                    "target": "200",
                    "means_of_verification": "Telecentre reports",
                    "measurements": [
                        (D(2025, 9, 30), "40"),
                        (D(2026, 3, 31), "118"),
                        (D(2026, 9, 30), "150"),
                    ],
                },
                {
                    "name": "Households with home broadband",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "12",
                    "target": "45",
                    "means_of_verification": "Operators' subscriber data, audited",
                    "measurements": [(D(2026, 3, 31), "21"), (D(2026, 9, 30), "29")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "SUBTEL",
            "financial",
            "Subsidies for connectivity and telecentres",
            "3200000000",
            D(2025, 3, 1),
            D(2027, 12, 31),
            [
                (D(2025, 6, 30), "900000000", "Connectivity concourse, milestone 1"),
                (D(2026, 4, 30), "1100000000", "Milestones 2 and 3"),
            ],
        ),
        (
            "ETC",
            "in_kind",
            "Network deployment below cost",
            "1800000000",
            D(2025, 3, 1),
            D(2027, 12, 31),
            [(D(2026, 3, 31), "950000000", "131 neighbourhoods connected")],
        ),
        (
            "ATACH",
            "human",
            "Telecentre operators and trainers",
            "420000000",
            D(2025, 6, 1),
            D(2027, 12, 31),
            [(D(2026, 6, 30), "180000000", "First year")],
        ),
        (
            "MINVU",
            "knowledge",
            "Neighbourhood councils' participation",
            "150000000",
            D(2025, 3, 1),
            D(2027, 12, 31),
            [(D(2026, 3, 31), "60000000", "")],
        ),
    ],
    "activities": [
        ("Connectivity concourse", D(2025, 3, 1), D(2025, 6, 30), "done", (0, 0), "subtel"),
        ("Telecentre concourse", D(2025, 3, 1), D(2025, 7, 31), "done", (1, 0), "subtel"),
        (
            "Network deployment, remaining neighbourhoods",
            D(2026, 4, 1),
            D(2027, 3, 31),
            "in_progress",
            (0, 0),
            "etc",
        ),
        (
            "Digital literacy courses in telecentres",
            D(2025, 9, 1),
            D(2027, 11, 30),
            "in_progress",
            (1, 1),
            "atach",
        ),
    ],
    "meetings": [
        (
            "Programme committee: first year review",
            D(2026, 3, 24),
            "Santiago, SUBTEL",
            "1. Assessment results. 2. Decision: continue. 3. Adjust targets.",
            "The committee accepts the assessment and continues the programme. Operators "
            "commit to 200 neighbourhoods by March 2027.",
            ["subtel", "minvu", "atach", "etc", "facilitator"],
            True,
        ),
    ],
    "steps": [
        ("start_design", D(2025, 1, 20), "SUBTEL and MINVU invite operators and telecentres.", {}),
        ("start_operation", D(2025, 3, 3), "Both concourses awarded; agreement in force.", {}),
        ("start_assessment", D(2026, 3, 5), "Yearly assessment due.", {}),
        (
            "assess",
            D(2026, 3, 20),
            "",
            {
                "period": (D(2025, 3, 3), D(2026, 3, 3)),
                "results_summary": "131 of 200 neighbourhoods connected, 118 telecentres running; "
                "home broadband rose from 12% to 21%.",
                "wanted_results": "Neighbourhood councils adopted the telecentres as their own.",
                "unwanted_results": "Some operators offered prices above the agreed fair tariff.",
                "lessons_learned": "Set the rules, leave the implementation to those who know it; "
                "publish the tariffs.",
                "recommendation": "continue",
            },
        ),
        ("continue_operation", D(2026, 3, 27), "The programme committee decided to continue.", {}),
    ],
}

ESCUELAS = {
    "title": "Escuelas Inter@ctivas",
    "fields": {
        "problem": "Teachers of public schools in Ecuador lack training in active, "
        "constructivist methodologies and in using ICTs for learning.",
        "common_interest": "Train more than 1,000 teachers a year with an accredited "
        "programme that combines human development, Escuela Activa, school-family-community "
        "and ICTs.",
        "general_objective": "Shift public education in Ecuador towards aware, consistent "
        "learners through accredited teacher training with ICTs.",
        "scenario": "civil_society_seeks_both",
        "scope": "Public schools in Quito, Guayaquil, Ibarra, El Chaco, Lumbaqui and Nabón.",
        "country": "EC",
        "territory": "Quito, Ibarra, El Chaco, Lumbaqui, Nabón",
        "dac_sector": "11220",
        "sdg_goals": ["4"],
        "sdg_targets": ["4.1", "4.c"],
        "start_date": D(2027, 1, 15),
        "end_date": D(2027, 12, 15),
        "modality": "csr",
        "formalisation_level": "medium",
        "governance": "ChasquiNet executes and convenes a partners' council each semester.",
        "tracking_tools": "Online community www.comunidadeducativa.net; training records.",
        "currency": "USD",
        "language": "es",
    },
    "members": [
        (
            "ChasquiNet",
            "implementer",
            "Transform education through ICTs.",
            "Executes the programme: expertise and project management.",
        ),
        ("MSFT", "funder", "Partners in Learning.", "Financial resources and support."),
        ("Escuela Virtual", "ally", "Spread its methodology.", "Shapes the methodology."),
        (
            "MINEDUC",
            "public_entity",
            "Accredited teacher training.",
            "Accredits the training and certifies teachers.",
        ),
        ("MDMQ", "beneficiary", "Better public schools.", "Infrastructure and logistics."),
        ("GAD Ibarra", "beneficiary", "Better public schools.", "Infrastructure and logistics."),
    ],
    "objectives": [
        (
            "specific",
            "Train teachers in the four components of the programme.",
            [
                {
                    "name": "Teachers certified by the ministry",
                    "unit": "teachers",
                    "baseline": "0",
                    "target": "1000",
                    "means_of_verification": "Ministry certificates issued",
                },
            ],
        ),
    ],
    "contributions": [
        (
            "MSFT",
            "financial",
            "Partners in Learning grant",
            "120000",
            D(2027, 1, 15),
            D(2027, 12, 15),
            [],
        ),
        (
            "ChasquiNet",
            "human",
            "Trainers and project management",
            "65000",
            D(2027, 1, 15),
            D(2027, 12, 15),
            [],
        ),
        (
            "MDMQ",
            "in_kind",
            "Training rooms and computers",
            "18000",
            D(2027, 1, 15),
            D(2027, 12, 15),
            [],
        ),
    ],
    "meetings": [
        (
            "Negotiation: roles and contributions",
            D(2026, 10, 6),
            "Quito, ChasquiNet",
            "1. Roles. 2. Contributions 2027. 3. Accreditation calendar.",
            "Microsoft confirms the grant subject to the agreement. The ministry asks for the "
            "curriculum by December. Confidentiality and non-compliance clauses still open.",
            ["partner", "microsoft", "mineduc", "quito", "facilitator"],
            True,
        ),
    ],
    "steps": [
        ("start_design", D(2026, 9, 14), "Partners agree to negotiate the 2027 edition.", {}),
    ],
}

IMALLS = {
    "title": "iMallsAmericas",
    "fields": {
        "problem": "Small and medium businesses in underserved communities cannot send and "
        "receive goods, remittances and services at fair prices internationally.",
        "common_interest": "Telecentres become logistics, payment and communication points "
        "for small merchants and migrants' families.",
        "scenario": "private_seeks_public",
        "country": "EC",
        "territory": "Telecentres from Canada to Chile; pilot in Ecuador",
        "dac_sector": "32130",
        "sdg_goals": ["8", "10"],
        "sdg_targets": ["8.3", "10.c"],
        "modality": "inclusive_markets",
        "currency": "USD",
    },
    "members": [
        (
            "iMalls",
            "implementer",
            "A channel to 5,000 telecentres.",
            "Logistics and payments platform.",
        ),
        ("TAP", "implementer", "New services for telecentres.", "The telecentre network."),
        (
            "ChasquiNet",
            "facilitator",
            "Income for Ecuadorian telecentres.",
            "Pilot in Ecuador; training of telecentre operators.",
        ),
        ("UPS", "ally", "New markets.", "Parcel shipping."),
    ],
    "candidates": [
        ("IDB", 4, 5, 5, 3, 4, "Could finance the pilot; no public partner yet."),
        ("eCOM-LAC", 4, 2, 4, 4, 3, "E-commerce readiness of merchants."),
        ("MINEDUC", 2, 2, 2, 3, 2, "Not the right public partner."),
    ],
    "steps": [],
}

HANDWASHING = {
    "title": "Handwashing Initiative in Peru",
    "fields": {
        "problem": "Diarrhoea is a leading cause of illness and death of children under "
        "five; 99% of households have soap but it is kept away from children and hands are "
        "rarely washed at critical times.",
        "common_interest": "Public health gains from handwashing with soap at the critical "
        "times, and a larger market for soap producers.",
        "general_objective": "Increase handwashing with soap at critical times among mothers "
        "and children under five through a national communications campaign.",
        "scenario": "public_seeks_private",
        "scope": "National campaign \u201cClean hands, healthy children\u201d; school programme "
        "in Lambayeque, Ayacucho and Lima.",
        "country": "PE",
        "territory": "National; Lambayeque, Ayacucho, Lima (Surco)",
        "dac_sector": "12261",
        "sdg_goals": ["3", "6"],
        "sdg_targets": ["3.2", "6.2"],
        "start_date": D(2025, 3, 1),
        "end_date": D(2026, 6, 30),
        "modality": "csr",
        "formalisation_level": "medium",
        "governance": "National Handwashing Commission at MINSA (replacing the executive "
        "committee); communications committee for the campaign.",
        "communication_lead": "Communications committee (soap companies, RPP, MINSA)",
        "tracking_tools": "Behavioural study (PRISMA) as baseline; campaign reach reports; "
        "structured observation at the end.",
        "confidentiality": "Companies' market data are shared only with the national coordinator.",
        "non_compliance": "A partner that withdraws notifies the commission three months "
        "ahead (as RPP did for the executive committee).",
        "assessment_criteria": "Handwashing at critical times; campaign reach; "
        "institutionalisation at MINSA.",
        "assessment_every_months": 12,
        "currency": "PEN",
        "language": "es",
        "is_published": True,
        "public_summary": "MINSA, soap producers, the World Bank's WSP and USAID promoted "
        "handwashing with soap; MINSA now runs it.",
    },
    "members": [
        (
            "MINSA",
            "public_entity",
            "Fewer diarrhoea cases in children.",
            "National Handwashing Commission; health promoters.",
        ),
        ("MINEDU", "public_entity", "Healthy schools.", "School programme."),
        (
            "Alicorp",
            "implementer",
            "Soap market and brand reputation.",
            "Campaign co-financing and marketing expertise.",
        ),
        ("Intradevco", "implementer", "Soap market.", "Campaign co-financing; soap for schools."),
        (
            "Colgate",
            "implementer",
            "Experience of the Central American initiative.",
            "Campaign co-financing.",
        ),
        (
            "WSP",
            "facilitator",
            "Global Public-Private Partnership for Handwashing.",
            "National coordinator and technical assistance.",
        ),
        ("USAID", "funder", "Child health.", "Finances the creative process."),
        ("PRISMA", "ally", "Evidence.", "Behavioural study in six regions."),
        ("RPP", "ally", "Public service broadcasting.", "Radio series."),
    ],
    "objectives": [
        (
            "specific",
            "Mothers wash hands with soap at the critical times.",
            [
                {
                    "name": "Mothers washing hands with soap at critical times",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "18",
                    "target": "35",
                    "means_of_verification": "Structured observation (endline study)",
                    "measurements": [(D(2025, 9, 30), "24"), (D(2026, 2, 28), "31")],
                },
            ],
        ),
        (
            "specific",
            "The campaign reaches mothers of children under five.",
            [
                {
                    "name": "Mothers reached by the campaign",
                    "unit": "mothers",
                    "baseline": "0",
                    "target": "800000",
                    "means_of_verification": "Media audience reports",
                    "measurements": [(D(2025, 9, 30), "410000"), (D(2026, 2, 28), "760000")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "Alicorp",
            "financial",
            "Campaign airtime and production",
            "450000",
            D(2025, 3, 1),
            D(2026, 6, 30),
            [(D(2025, 6, 1), "450000", "Paid in full")],
        ),
        (
            "Intradevco",
            "in_kind",
            "Soap for 300 schools",
            "120000",
            D(2025, 3, 1),
            D(2026, 6, 30),
            [(D(2025, 8, 15), "100000", "Delivered to UGELs")],
        ),
        (
            "Colgate",
            "financial",
            "Campaign co-financing",
            "300000",
            D(2025, 3, 1),
            D(2026, 6, 30),
            [(D(2025, 6, 1), "300000", "")],
        ),
        (
            "USAID",
            "financial",
            "Creative process",
            "250000",
            D(2025, 3, 1),
            D(2025, 12, 31),
            [(D(2025, 4, 15), "250000", "")],
        ),
        (
            "WSP",
            "knowledge",
            "National coordinator and methodology",
            "380000",
            D(2025, 3, 1),
            D(2026, 6, 30),
            [(D(2026, 6, 30), "380000", "")],
        ),
        (
            "RPP",
            "in_kind",
            "Radio series \u201cThe bubbles of your love\u201d",
            "90000",
            D(2025, 9, 1),
            D(2025, 12, 31),
            [(D(2025, 12, 31), "90000", "")],
        ),
    ],
    "activities": [
        (
            "Behavioural study in six regions",
            D(2025, 3, 1),
            D(2025, 5, 31),
            "done",
            (0, 0),
            "prisma",
        ),
        (
            "Campaign \u201cClean hands, healthy children\u201d",
            D(2025, 7, 1),
            D(2026, 2, 28),
            "done",
            (1, 0),
            "alicorp",
        ),
        (
            "Training workshops for health promoters",
            D(2025, 9, 1),
            D(2025, 12, 15),
            "done",
            (0, 0),
            "official",
        ),
    ],
    "meetings": [
        (
            "National Handwashing Commission: closure",
            D(2026, 6, 22),
            "Lima, MINSA",
            "1. Final assessment. 2. Transfer to MINSA. 3. Lessons.",
            "The commission accepts the final assessment; the initiative is transferred to "
            "MINSA's health promotion directorate, which includes it in the sector plan.",
            ["official", "alicorp", "colgate", "intradevco", "wsp", "donor", "facilitator"],
            True,
        ),
    ],
    "steps": [
        ("start_design", D(2025, 1, 15), "Companies and MINSA commit after the call.", {}),
        ("start_operation", D(2025, 3, 3), "Agreement between WSP, MINSA and the companies.", {}),
        ("start_assessment", D(2026, 3, 9), "Yearly assessment; campaign ended.", {}),
        (
            "assess",
            D(2026, 5, 29),
            "",
            {
                "period": (D(2025, 3, 3), D(2026, 3, 3)),
                "results_summary": "Handwashing at critical times rose from 18% to 31% (target "
                "35%); the campaign reached 760,000 mothers.",
                "wanted_results": "A ministerial resolution and a sector plan for handwashing.",
                "unwanted_results": "Brand visibility disputes between the soap companies.",
                "lessons_learned": "A neutral facilitator keeps competing companies together; "
                "institutionalise early in the ministry.",
                "recommendation": "close",
            },
        ),
        (
            "close",
            D(2026, 6, 30),
            "Transferred to MINSA.",
            {
                "outcome": "transferred",
                "transferred_to": "MINSA",
                "handover_note": "MINSA's health promotion directorate continues the campaign "
                "within the sector plan for handwashing.",
            },
        ),
    ],
}

SERVIVIENDA = {
    "title": "SERVIVIENDA: low-cost modular housing, Colombia and Honduras",
    "fields": {
        "problem": "Low-income Honduran families lack affordable housing and financing.",
        "common_interest": "Transfer Colombia's light prefabrication technology and "
        "financing mechanisms to Honduras through South-South technical cooperation.",
        "general_objective": "Set up a factory of low-cost modular houses in Honduras and the "
        "financial mechanisms for families to buy them.",
        "scenario": "public_seeks_private",
        "scope": "Three stages: housing needs assessment, factory and 40 houses, financial "
        "mechanisms.",
        "country": "HN",
        "territory": "Tegucigalpa and surroundings",
        "dac_sector": "16040",
        "sdg_goals": ["11", "17"],
        "sdg_targets": ["11.1", "17.9"],
        "start_date": D(2025, 2, 1),
        "end_date": D(2026, 12, 31),
        "modality": "philanthropy",
        "formalisation_level": "high",
        "governance": "Joint committee of APC-Colombia and SRECI; SERVIVIENDA executes and "
        "FEDECOH is the Honduran counterpart.",
        "communication_lead": "APC-Colombia",
        "tracking_tools": "Stage reports; factory production records.",
        "confidentiality": "None beyond families' personal data.",
        "non_compliance": "The fund suspends disbursements until the stage report is accepted.",
        "assessment_criteria": "Houses built and sold; cost per house; factory sustainability.",
        "assessment_every_months": 18,
        "currency": "USD",
        "language": "es",
        "is_published": True,
    },
    "members": [
        ("APC-Colombia", "provider", "South-South cooperation.", "Provides the cooperation."),
        (
            "SRECI",
            "recipient",
            "Housing for low-income families.",
            "Honduran authority of the agreement.",
        ),
        (
            "SERVIVIENDA",
            "implementer",
            "Share its technology.",
            "Executes every stage in Honduras.",
        ),
        ("FEDECOH", "beneficiary", "Community-led housing.", "Honduran counterpart."),
        ("FCCC", "funder", "Regional cooperation.", "Pays for the whole action."),
    ],
    "objectives": [
        (
            "specific",
            "Build low-cost modular houses in Honduras.",
            [
                {
                    "name": "Houses built",
                    "unit": "houses",
                    "baseline": "0",
                    "target": "40",
                    "means_of_verification": "Factory records and delivery certificates",
                    "measurements": [(D(2025, 10, 31), "18"), (D(2026, 5, 31), "40")],
                },
                {
                    "name": "Cost per house",
                    "unit": "USD",
                    "baseline": "3500",
                    "target": "2000",
                    "means_of_verification": "Audited costs",
                    "measurements": [(D(2026, 5, 31), "2000")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "FCCC",
            "financial",
            "Technology transfer and 40 houses",
            "80000",
            D(2025, 2, 1),
            D(2026, 6, 30),
            [(D(2025, 3, 1), "40000", "Stages 1 and 2"), (D(2025, 11, 1), "40000", "Stage 3")],
        ),
        (
            "SERVIVIENDA",
            "knowledge",
            "Prefabrication technology and training",
            "25000",
            D(2025, 2, 1),
            D(2026, 6, 30),
            [(D(2026, 6, 30), "25000", "")],
        ),
        (
            "FEDECOH",
            "human",
            "Community organisation and selection of families",
            "8000",
            D(2025, 2, 1),
            D(2026, 6, 30),
            [(D(2026, 6, 30), "6500", "")],
        ),
    ],
    "activities": [
        ("Housing needs assessment", D(2025, 2, 1), D(2025, 4, 30), "done", None, "servivienda"),
        (
            "Factory set-up and 40 houses",
            D(2025, 5, 1),
            D(2026, 5, 31),
            "done",
            (0, 0),
            "servivienda",
        ),
        (
            "Financial mechanisms for buyers",
            D(2026, 3, 1),
            D(2026, 12, 15),
            "in_progress",
            None,
            "fedecoh",
        ),
    ],
    "meetings": [
        (
            "Joint committee: final assessment",
            D(2026, 10, 20),
            "Tegucigalpa",
            "1. Assessment. 2. Closure or a second phase.",
            "The committee agrees that the objectives are met and recommends closing; "
            "FEDECOH will seek funding for a second phase separately.",
            ["apc", "sreci", "servivienda", "fedecoh", "fccc"],
            False,
        ),
    ],
    "steps": [
        ("start_design", D(2024, 11, 18), "Both governments ask SERVIVIENDA to execute.", {}),
        ("start_operation", D(2025, 2, 3), "Technical cooperation agreement signed.", {}),
        ("start_assessment", D(2026, 9, 1), "Scheduled assessment after 18 months.", {}),
        (
            "assess",
            D(2026, 10, 21),
            "",
            {
                "period": (D(2025, 2, 3), D(2026, 8, 3)),
                "results_summary": "40 houses built at US$2,000 each; the factory runs; "
                "financial mechanisms in place for 30 families.",
                "wanted_results": "Officials of both countries rate the technology transfer "
                "very positively.",
                "unwanted_results": "Ten families still wait for credit approval.",
                "lessons_learned": "Delegating execution to an experienced CSO made the "
                "cooperation effective; record each partner's contribution at each stage.",
                "recommendation": "close",
            },
        ),
    ],
}

ALLY_MICUY = {
    "title": "Ally Micuy: good food for children in Áncash",
    "fields": {
        "problem": "Chronic malnutrition in Áncash was 30.6%; iron-deficiency anaemia "
        "affects most children 6 to 36 months old in poor communities.",
        "common_interest": "The Antamina Mining Fund, the regional government and two "
        "NGOs reduce chronic malnutrition and anaemia in the mine's region.",
        "general_objective": "Reduce chronic malnutrition by 14 percentage points in "
        "children under three taking part, in four years.",
        "scenario": "private_seeks_public",
        "scope": "799 localities, 124 districts and 20 provinces of Áncash, and Llata (Huánuco).",
        "country": "PE",
        "territory": "Áncash (north: Caritas; south: ADRA)",
        "dac_sector": "12240",
        "sdg_goals": ["2", "3"],
        "sdg_targets": ["2.2", "3.1"],
        "start_date": D(2025, 2, 1),
        "end_date": D(2027, 12, 31),
        "modality": "csr",
        "formalisation_level": "high",
        "governance": "The fund's board approves annual plans; ADRA and Caritas report "
        "quarterly; the regional health directorate sits in the technical committee.",
        "communication_lead": "Fondo Minero Antamina",
        "tracking_tools": "Weekly home visit records; semester anthropometry.",
        "confidentiality": "Children's data stay with the health facilities.",
        "non_compliance": "Funds for the next semester depend on the quarterly reports.",
        "assessment_criteria": "Chronic malnutrition, anaemia, institutional childbirth, "
        "vaccination coverage.",
        "assessment_every_months": 18,
        "currency": "PEN",
        "language": "es",
    },
    "members": [
        ("FMA", "funder", "Social licence; the region's development.", "Finances the project."),
        (
            "GORE Áncash",
            "public_entity",
            "Regional nutrition targets.",
            "Regional health directorate in the technical committee.",
        ),
        ("MINSA", "public_entity", "National standards.", "Health facilities and supplies."),
        ("ADRA", "implementer", "Proven community approach.", "Southern Áncash."),
        ("CARITAS", "implementer", "Proven community approach.", "Northern Áncash."),
    ],
    "objectives": [
        (
            "specific",
            "Families adopt better feeding and care practices.",
            [
                {
                    "name": "Chronic malnutrition in participating children under three",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "30.6",
                    "target": "16.6",
                    "means_of_verification": "Semester anthropometry by health facilities",
                    "measurements": [
                        (D(2025, 8, 31), "28.1"),
                        (D(2026, 2, 28), "24.9"),
                        (D(2026, 8, 31), "21.7"),
                    ],
                },
                {
                    "name": "Anaemia in children 6-35 months",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "63.1",
                    "target": "45",
                    "means_of_verification": "Haemoglobin tests",
                    "measurements": [(D(2026, 2, 28), "57.4"), (D(2026, 8, 31), "51.8")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "FMA",
            "financial",
            "Project funding",
            "19500000",
            D(2025, 2, 1),
            D(2027, 12, 31),
            [(D(2025, 2, 15), "5000000", "2025"), (D(2026, 2, 15), "5000000", "2026")],
        ),
        (
            "ADRA",
            "human",
            "206 health professionals and volunteers' supervision (south)",
            "2100000",
            D(2025, 2, 1),
            D(2027, 12, 31),
            [(D(2026, 1, 31), "700000", "2025")],
        ),
        (
            "CARITAS",
            "human",
            "Community Nutrition Educators (north)",
            "2000000",
            D(2025, 2, 1),
            D(2027, 12, 31),
            [(D(2026, 1, 31), "650000", "2025")],
        ),
        (
            "MINSA",
            "in_kind",
            "Ferrous sulphate for 2,929 children",
            "300000",
            D(2025, 2, 1),
            D(2027, 12, 31),
            [(D(2025, 9, 1), "150000", "")],
        ),
    ],
    "activities": [
        (
            "Weekly home visits by community volunteers",
            D(2025, 3, 1),
            D(2027, 11, 30),
            "in_progress",
            (0, 0),
            "adra",
        ),
        (
            "Ferrous sulphate supplementation, two semesters",
            D(2025, 9, 1),
            D(2026, 8, 31),
            "done",
            (0, 1),
            "caritas",
        ),
    ],
    "meetings": [
        (
            "Technical committee: mid-term assessment",
            D(2026, 11, 12),
            "Huaraz",
            "1. Mid-term results. 2. Recommendation to the board.",
            "Malnutrition fell 8.9 points in 18 months, on track for the 14-point goal. The "
            "committee recommends continuing without changes.",
            ["fma", "ancash", "official", "adra", "caritas", "facilitator"],
            False,
        ),
    ],
    "steps": [
        ("start_design", D(2024, 12, 2), "The fund selects ADRA and Caritas.", {}),
        ("start_operation", D(2025, 2, 3), "Agreement signed with the fund.", {}),
        ("start_assessment", D(2026, 10, 5), "Mid-term assessment (18 months).", {}),
        (
            "assess",
            D(2026, 11, 13),
            "",
            {
                "period": (D(2025, 2, 3), D(2026, 8, 3)),
                "results_summary": "Chronic malnutrition 30.6% → 21.7%; anaemia 63.1% → 51.8%.",
                "wanted_results": "Fathers take part in feeding; vaccination coverage up.",
                "unwanted_results": "Volunteer turnover in the northern provinces.",
                "lessons_learned": "Practical training in Quechua works; keep one health "
                "scheme (MINSA's) for all actors.",
                "recommendation": "continue",
            },
        ),
    ],
}

PREDECI = {
    "title": "Partnership for Nutrition in Cajamarca (PREDECI)",
    "fields": {
        "problem": "Chronic malnutrition of 38.2% in children under three in rural "
        "Cajamarca; anaemia 62.8% in children 6 to 36 months.",
        "common_interest": "The regional government, mining companies and USAID institutionalise "
        "a proven reduction of chronic child malnutrition.",
        "general_objective": "Reduce chronic malnutrition in children under three by six "
        "percentage points in three years.",
        "scenario": "public_seeks_private",
        "scope": "46 health facilities, 401 communities, 12 provinces of Cajamarca.",
        "country": "PE",
        "territory": "Cajamarca",
        "dac_sector": "12240",
        "sdg_goals": ["2"],
        "sdg_targets": ["2.2"],
        "start_date": D(2025, 5, 1),
        "end_date": D(2028, 4, 30),
        "modality": "csr",
        "formalisation_level": "high",
        "governance": "Led by the Regional Government of Cajamarca; partners' board quarterly.",
        "communication_lead": "Gobierno Regional de Cajamarca",
        "tracking_tools": "Mid-term and final evaluations by an independent consultant.",
        "confidentiality": "Standard.",
        "non_compliance": "Board reviews and may reallocate.",
        "assessment_criteria": "Chronic malnutrition and anaemia against baseline.",
        "assessment_every_months": 24,
        "currency": "PEN",
        "language": "es",
    },
    "members": [
        ("GORE Cajamarca", "public_entity", "Regional development.", "Leads the partnership."),
        ("USAID", "funder", "Child nutrition.", "Technical assistance funding."),
        ("ALAC", "funder", "Social investment in Cajamarca.", "Co-financing."),
        ("CARE", "implementer", "Scale up.", "Community component."),
    ],
    "objectives": [
        (
            "specific",
            "Improve nutrition and care practices of families.",
            [
                {
                    "name": "Chronic malnutrition in children under three",
                    "unit": "%",
                    "measure": "percentage",
                    "baseline": "38.2",
                    "target": "32.2",
                    "means_of_verification": "Mid-term and final evaluation",
                    "measurements": [(D(2026, 5, 31), "35.0")],
                },
            ],
        ),
    ],
    "contributions": [
        (
            "USAID",
            "financial",
            "Technical assistance",
            "1500000",
            D(2025, 5, 1),
            D(2028, 4, 30),
            [(D(2025, 6, 1), "500000", "")],
        ),
        (
            "ALAC",
            "financial",
            "Co-financing",
            "2000000",
            D(2025, 5, 1),
            D(2028, 4, 30),
            [(D(2025, 6, 1), "600000", "")],
        ),
        (
            "GORE Cajamarca",
            "human",
            "Regional health directorate staff",
            "900000",
            D(2025, 5, 1),
            D(2028, 4, 30),
            [(D(2026, 4, 30), "300000", "")],
        ),
    ],
    "steps": [
        ("start_design", D(2025, 2, 10), "", {}),
        ("start_operation", D(2025, 5, 5), "Agreement signed in Cajamarca.", {}),
        (
            "suspend",
            D(2026, 11, 2),
            "Regional authorities change after the October 2026 "
            "elections; the partners resume with the new authorities in January 2027.",
            {},
        ),
    ],
}

BROKERING = {
    "title": "Brokering Partnerships for Rural Development",
    "fields": {
        "problem": "Innovative network-based projects in rural Latin America and Asia lack "
        "partners and missing expertise.",
        "common_interest": "An online marketplace and two conferences to form partnerships "
        "around rural ICT projects.",
        "scenario": "civil_society_seeks_both",
        "country": "AR",
        "territory": "Latin America and Asia",
        "dac_sector": "43040",
        "sdg_goals": ["17"],
        "sdg_targets": ["17.17"],
        "currency": "USD",
    },
    "members": [
        ("eCOM-LAC", "facilitator", "ICT projects in rural areas.", "Convenes."),
        ("AACREA", "ally", "Knowledge management in rural areas.", "Methodology."),
        ("MSSRF", "ally", "Rural knowledge centres.", "Asian partners."),
        ("ChasquiNet", "ally", "Telecentres.", "Latin American partners."),
    ],
    "steps": [
        (
            "withdraw",
            D(2025, 9, 30),
            "No public partner and no funding agency committed "
            "after the call; the partners pursue the marketplace separately.",
            {},
        ),
    ],
}

PARTNERSHIPS = [
    NUTRITION,
    QUIERO_MI_BARRIO,
    ESCUELAS,
    IMALLS,
    HANDWASHING,
    SERVIVIENDA,
    ALLY_MICUY,
    PREDECI,
    BROKERING,
]


# ----- building --------------------------------------------------------------------------------


def load(stdout) -> None:
    facilitator = User.objects.get(email=email_for("facilitator"))
    created = 0
    for spec in PARTNERSHIPS:
        if Partnership.objects.filter(title=spec["title"]).exists():
            continue
        _build(spec, facilitator)
        created += 1
    stdout.write(f"  partnerships: {created} created, {len(PARTNERSHIPS) - created} already there")
    # The work of each phase (problem trees, health checks, lessons...) on those partnerships.
    from . import phase_demo

    phase_demo.load(stdout)


def _org(key: str) -> Organisation:
    return Organisation.objects.get(Q(acronym=key) | Q(name=key))


def _person(key: str) -> User:
    return User.objects.get(email=email_for(key))


def _build(spec: dict, facilitator) -> Partnership:
    partnership = services.partnership_create(
        by=facilitator, title=spec["title"], facilitator=facilitator, **spec["fields"]
    )
    members = {}
    for key, role, motivation, responsibilities in spec.get("members", []):
        org = _org(key)
        members[key] = Member.objects.create(
            partnership=partnership,
            organisation=org,
            role=role,
            signatory=signatory(org),
            motivation=motivation,
            responsibilities=responsibilities,
        )
    indicators = _objectives(partnership, spec.get("objectives", []), facilitator)
    _contributions(partnership, members, spec.get("contributions", []), facilitator)
    for title, starts, ends, status, indicator, person in spec.get("activities", []):
        partnership.activities.create(
            title=title,
            starts_on=starts,
            ends_on=ends,
            status=ActivityStatus(status),
            indicator=indicators[indicator] if indicator else None,
            responsible=_person(person),
        )
    for title, day, place, agenda, minutes, people, confirmed in spec.get("meetings", []):
        meeting = Meeting.objects.create(
            partnership=partnership,
            title=title,
            held_at=_at(day),
            place=place,
            agenda=agenda,
            minutes=minutes,
        )
        for person in people:
            Attendance.objects.create(
                meeting=meeting,
                person=_person(person),
                minutes_confirmed_at=_at(day + datetime.timedelta(days=3)) if confirmed else None,
            )
    for key, *scores, notes in spec.get("candidates", []):
        PartnerCandidate.objects.create(
            partnership=partnership,
            organisation=_org(key),
            **dict(zip(PartnerCandidate.CRITERIA, scores, strict=True)),
            notes=notes,
        )
    for name, day, comment, extra in spec.get("steps", []):
        if name == "assess":
            _assess(partnership, day, extra, facilitator)
        else:
            partnership = _step(partnership, name, day, comment, extra, facilitator)
    return partnership


def _objectives(partnership, objectives, by) -> dict:
    indicators = {}
    for o_index, (kind, description, indicator_specs) in enumerate(objectives):
        objective = Objective.objects.create(
            partnership=partnership, kind=kind, description=description, order=o_index
        )
        for i_index, data in enumerate(indicator_specs):
            data = dict(data)
            measurements = data.pop("measurements", [])
            indicator = Indicator.objects.create(
                objective=objective,
                **{k: Decimal(v) if k in ("baseline", "target") else v for k, v in data.items()},
            )
            for day, value in measurements:
                Measurement.objects.create(
                    indicator=indicator, measured_on=day, value=Decimal(value), recorded_by=by
                )
            indicators[(o_index, i_index)] = indicator
    return indicators


def _contributions(partnership, members, contributions, by) -> None:
    for key, kind, description, planned, start, end, deliveries in contributions:
        contribution = Contribution.objects.create(
            partnership=partnership,
            member=members[key],
            kind=kind,
            description=description,
            planned_amount=Decimal(planned),
            currency=partnership.currency,
            period_start=start,
            period_end=end,
        )
        for day, amount, note in deliveries:
            services.contribution_record_delivery(
                contribution=contribution,
                amount=Decimal(amount),
                delivered_on=day,
                by=by,
                note=note,
            )


def _assess(partnership, day, data, by) -> Assessment:
    data = dict(data)
    period_start, period_end = data.pop("period")
    assessment = Assessment.objects.create(
        partnership=partnership,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
        **data,
    )
    # Dated when it was written in the story: the assessment schedule reads it.
    Assessment.objects.filter(pk=assessment.pk).update(created_at=_at(day))
    return assessment


def _prepare_hooks():
    from demo.management.commands.load_demo import demo_modules

    return [
        m.prepare_transition
        for m in demo_modules()
        if m.__name__ != __name__ and hasattr(m, "prepare_transition")
    ]


def _step(partnership, name, day, comment, extra, by) -> Partnership:
    for hook in _prepare_hooks():
        hook(partnership=partnership, transition=name, by=by)
    if name == "start_operation":
        Partnership.objects.filter(pk=partnership.pk).update(operation_started_on=day)
    kwargs = dict(extra)
    if "transferred_to" in kwargs:
        kwargs["transferred_to"] = _org(kwargs["transferred_to"])
    service = getattr(services, f"partnership_{name}")
    try:
        partnership = service(partnership=partnership, by=by, comment=comment, **kwargs)
    except services.TransitionRefused as refused:
        raise CommandError(
            f"Demo partnership “{partnership.title}” cannot {name}: {' '.join(refused.reasons)}"
        ) from refused
    change = PhaseChange.objects.filter(partnership=partnership).order_by("-pk").first()
    PhaseChange.objects.filter(pk=change.pk).update(at=_at(day))
    if name == "close":
        Partnership.objects.filter(pk=partnership.pk).update(closed_on=day)
        partnership.refresh_from_db()
    return partnership
