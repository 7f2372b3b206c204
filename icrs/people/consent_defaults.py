"""Version 1 of each consent text (FR, EN): what a fresh install starts with (migration
0012_consent seeds it) until an administrator publishes a programme's own wording.
Plain data, no Flask: the migration imports it."""

DEFAULT_TEXTS = {
    "registration": (
        "Le programme de désarmement, démobilisation et réintégration (CNDDR) et ses partenaires "
        "vous proposent un accompagnement. Pour cela, nous enregistrons votre nom, votre date de "
        "naissance, vos coordonnées et votre parcours, et une personne chargée de votre dossier "
        "vous suivra. Vous pouvez refuser ou retirer votre accord à tout moment, sans perdre "
        "l’accès aux services de base. Acceptez-vous que nous ouvrions votre dossier ?",
        "The disarmament, demobilisation and reintegration programme (CNDDR) and its partners "
        "offer you support. To do so, we record your name, date of birth, contact details and "
        "history, and a caseworker will follow your case. You may refuse or withdraw your "
        "agreement at any time without losing access to basic services. Do you agree that we "
        "open your case?",
    ),
    "storage": (
        "Vos informations personnelles sont conservées de façon chiffrée. Seules les personnes "
        "chargées de votre dossier peuvent les lire, et chaque consultation est enregistrée. "
        "Elles sont détruites à la fin de la durée de conservation ou si vous le demandez. "
        "Acceptez-vous que nous conservions ces informations ?",
        "Your personal information is stored encrypted. Only the people working on your case can "
        "read it, and every reading is logged. It is destroyed at the end of the retention "
        "period or when you ask. Do you agree that we keep this information?",
    ),
    "sharing": (
        "Pour vous orienter vers un service (formation, santé, appui économique…), nous "
        "transmettons au prestataire uniquement ce qui est utile : votre prénom, votre tranche "
        "d’âge, vos langues et le motif de l’orientation. Votre passé dans un groupe armé n’est "
        "jamais transmis. Vous pouvez retirer cet accord à tout moment : le partage s’arrête "
        "aussitôt. Acceptez-vous ce partage pour ce type de service ?",
        "To refer you to a service (training, health, economic support…), we pass the provider "
        "only what is needed: your first name, age band, languages and the reason for the "
        "referral. Your past in an armed group is never shared. You may withdraw this agreement "
        "at any time: sharing stops at once. Do you agree to this sharing for this kind of "
        "service?",
    ),
    "reporting": (
        "Le programme publie des chiffres d’ensemble (nombre de personnes par région, par "
        "tranche d’âge…) pour rendre compte aux autorités et aux bailleurs. Personne ne peut "
        "vous reconnaître dans ces chiffres. Acceptez-vous d’y être compté ?",
        "The programme publishes overall figures (number of people per region, age band…) to "
        "report to the authorities and donors. Nobody can recognise you in these figures. Do you "
        "agree to be counted in them?",
    ),
}
