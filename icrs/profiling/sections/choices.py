"""Coded answers of the profile. Codes are stored; labels are translated at display time."""
from flask_babel import lazy_gettext as _l

from icrs.lookups import Vocabulary, register

EMPTY = [("", "—")]
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]

HEAD_OF_HOUSEHOLD = [
    ("self", _l("The person themself")), ("spouse", _l("Spouse or partner")),
    ("parent", _l("Parent")), ("relative", _l("Other relative")),
    ("host", _l("Host family")), ("other", _l("Other")),
]
MARITAL_STATUS = [
    ("single", _l("Single")), ("married", _l("Married or in union")),
    ("polygamous", _l("Married, polygamous union")), ("widowed", _l("Widowed")),
    ("separated", _l("Divorced or separated")),
]
LIVING_ARRANGEMENT = [
    ("own_family", _l("With own spouse or children")), ("parents", _l("With parents")),
    ("relatives", _l("With other relatives")), ("host_family", _l("With a host family")),
    ("interim_care", _l("Transit or interim care centre")), ("alone", _l("Alone")),
    ("other", _l("Other")),
]

EDUCATION_LEVEL = [
    ("none", _l("No schooling")), ("koranic", _l("Koranic school only")),
    ("primary_incomplete", _l("Primary, not completed")), ("primary", _l("Primary completed")),
    ("secondary_first", _l("Secondary, first cycle")),
    ("secondary_second", _l("Secondary, second cycle")),
    ("technical", _l("Technical or vocational school")), ("higher", _l("University or higher")),
]
LITERACY = [
    ("none", _l("Cannot read or write")), ("basic", _l("Reads and writes a little")),
    ("functional", _l("Reads and writes easily")),
]
SCRIPT_LANGUAGES = [("fr", _l("French")), ("en", _l("English")), ("ar", _l("Arabic")),
                    ("other", _l("Other"))]

# Skills and armed groups are lists the programme adapts (icrs.lookups): declared here with the
# entries a new installation starts with, read through icrs.lookups at request time.
SKILL = register(Vocabulary(
    "skill", _l("Skills"),
    (("farming", _l("Crop farming")), ("livestock", _l("Livestock rearing")),
     ("fishing", _l("Fishing")), ("trading", _l("Trading")), ("tailoring", _l("Tailoring")),
     ("carpentry", _l("Carpentry")), ("masonry", _l("Masonry")),
     ("mechanics", _l("Mechanics")), ("driving", _l("Driving")), ("welding", _l("Welding")),
     ("electricity", _l("Electrical work")), ("hairdressing", _l("Hairdressing")),
     ("cooking", _l("Cooking and catering")), ("crafts", _l("Crafts")),
     ("computer", _l("Computer use")), ("health_care", _l("Health care")),
     ("teaching", _l("Teaching")), ("other", _l("Other"))),
    _l("The profile's skills; matching and the referral packet use them.")))

ACTIVITY = [
    ("farming", _l("Farming")), ("livestock", _l("Livestock")), ("trade", _l("Trade")),
    ("crafts", _l("Crafts or a trade")), ("employment", _l("Paid employment")),
    ("casual", _l("Casual labour")), ("student", _l("Student")),
    ("domestic", _l("Unpaid domestic work")), ("none", _l("No activity")),
    ("other", _l("Other")),
]
INCOME_SOURCES = [
    ("farming", _l("Farming or livestock")), ("trade", _l("Trade")),
    ("casual", _l("Casual labour")), ("salary", _l("Salary")),
    ("family", _l("Family support")), ("aid", _l("Humanitarian aid")), ("other", _l("Other")),
]
ASSETS = [
    ("land", _l("Farm land")), ("animals", _l("Animals")), ("tools", _l("Tools or equipment")),
    ("stall", _l("Market stall or shop")), ("motorbike", _l("Motorbike or bicycle")),
    ("phone", _l("Mobile phone")), ("savings", _l("Savings or mobile money account")),
    ("house", _l("House")),
]

# Washington Group Short Set: one answer scale for the six domains.
WG_SCALE = [
    ("none", _l("No difficulty")), ("some", _l("Some difficulty")),
    ("a_lot", _l("A lot of difficulty")), ("cannot", _l("Cannot do at all")),
]
WG_SEVERE = {"a_lot", "cannot"}
PREGNANCY = [("no", _l("No")), ("pregnant", _l("Pregnant")), ("lactating", _l("Breastfeeding")),
             ("not_applicable", _l("Not applicable"))]

FREQUENCY = [("never", _l("Never or rarely")), ("sometimes", _l("Sometimes")),
             ("often", _l("Often"))]
ACCEPTANCE = [("accepted", _l("Accepted")), ("partly", _l("Partly accepted")),
              ("rejected", _l("Rejected or stigmatised")), ("unknown", _l("Not yet known"))]

ARMED_GROUP = register(Vocabulary(
    "armed_group", _l("Armed groups"),
    (("jas", _l("Boko Haram (JAS)")), ("iswap", _l("ISWAP")),
     ("separatist", _l("Separatist armed group")), ("militia", _l("Self-defence militia")),
     ("other", _l("Other group"))),
    _l("The association history's armed group.")))
GROUP_ROLE = [
    ("fighter", _l("Fighter")), ("support", _l("Logistics or support")),
    ("domestic", _l("Cook or domestic work")), ("messenger", _l("Messenger or informant")),
    ("forced_marriage", _l("Forced marriage")), ("forced_labour", _l("Forced labour")),
    ("other", _l("Other")),
]
HOW_JOINED = [("abducted", _l("Abducted or forced")), ("voluntary", _l("Joined voluntarily")),
              ("family", _l("Through family or marriage")), ("born", _l("Born in the group")),
              ("other", _l("Other"))]
HOW_LEFT = [("surrendered", _l("Surrendered")), ("escaped", _l("Escaped")),
            ("captured", _l("Captured")), ("released", _l("Released by the group")),
            ("rescued", _l("Rescued")), ("other", _l("Other"))]

FEELS_SAFE = [("yes", _l("Yes")), ("somewhat", _l("Somewhat")), ("no", _l("No"))]
THREAT_SOURCES = [("former_group", _l("Former group")), ("community", _l("Community")),
                  ("family", _l("Family")), ("authorities", _l("Authorities")),
                  ("other", _l("Other"))]
DISCLOSURE = [("no", _l("No")), ("yes", _l("Yes")),
              ("not_said", _l("Prefers not to say"))]

PREFERRED_PLACE = [("stay", _l("Stay where they live now")),
                   ("return", _l("Return to the community of origin")),
                   ("relocate", _l("Settle somewhere else")), ("undecided", _l("Undecided"))]
