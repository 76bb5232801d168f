"""The demo career articles: original prose written for Prospectus.

Each article names one occupation of careers_facts.csv; its facts table is filled from
that row (listings/demo/facts.py). The editorial fields here — field of study, key
skills, certification — are guidance, not sourced figures, so no number appears in
them or in the prose: every figure a reader sees comes from the source."""

from __future__ import annotations

from typing import NamedTuple


class ArticleSpec(NamedTuple):
    slug: str
    occupation: str  # the exact `occupation` cell of careers_facts.csv
    category: str  # a CategorySpec slug
    title: str
    summary: str
    field_of_study: str
    key_skills: str
    certification: str
    featured: bool
    related: tuple[str, ...]
    body: str


ARTICLES: tuple[ArticleSpec, ...] = (
    ArticleSpec(
        slug="medical-records-specialist",
        occupation="Medical Records Specialists",
        category="healthcare",
        title="How can I become a medical records specialist?",
        summary="Medical records specialists keep patient information accurate, coded and private. "
        "Most start with a certificate and can be working within a year.",
        field_of_study="Health information technology, medical coding and billing",
        key_skills="Attention to detail, medical terminology, coding systems, discretion with private data",
        certification="Coding or health information credentials from a professional association; "
        "many employers prefer one",
        featured=True,
        related=("medical-assistant", "pharmacy-technician", "registered-nurse"),
        body="""\
Every visit to a doctor, clinic or hospital leaves a trail of information: symptoms, test results,
diagnoses, treatments and the bill that follows. Medical records specialists make sure that trail is
complete, correct and safe. It is a healthcare career for people who like order more than needles.

## What does a medical records specialist do?

Specialists review patient records for completeness and accuracy, then translate diagnoses and
procedures into standard classification codes. Those codes decide what insurers pay, feed research and
public-health statistics, and follow the patient from one provider to the next, so a small slip can
have large consequences. A typical day includes:

- checking that charts are signed, dated and consistent;
- assigning diagnosis and procedure codes and querying clinicians when notes are unclear;
- working in electronic health record systems and keeping them tidy;
- protecting confidentiality and releasing records only to people entitled to see them.

Most work in hospitals and physicians' offices; some work for insurers, software vendors or remotely
for coding services. The work is mostly at a desk, and some employers let experienced coders work
from home.

## How to become a medical records specialist

Many specialists begin with a postsecondary certificate in medical coding or health information,
which covers anatomy, medical terminology, the coding systems and privacy law. An associate degree in
health information technology goes further into data quality and management and opens more doors.

Employers value a professional credential, and some require one. These are earned by passing an
exam, often soon after finishing a program, and kept current with continuing education.

## Is it right for you?

You will enjoy this work if you read carefully, notice inconsistencies and like solving puzzles with
rules. It suits people who want a healthcare role without direct patient care, and it can lead on to
coding auditing, compliance or health information management.
""",
    ),
    ArticleSpec(
        slug="registered-nurse",
        occupation="Registered Nurses",
        category="healthcare",
        title="How can I become a registered nurse?",
        summary="Registered nurses assess patients, give treatment and coordinate care. The path runs through "
        "a nursing program and a national licensing exam.",
        field_of_study="Nursing (associate degree in nursing or bachelor of science in nursing)",
        key_skills="Clinical judgement, communication, compassion, composure under pressure, teamwork",
        certification="A state RN license after passing the national licensing exam (NCLEX-RN); "
        "specialty certifications later",
        featured=False,
        related=("medical-assistant", "dental-hygienist", "medical-records-specialist"),
        body="""\
Registered nurses are the backbone of patient care. They are often the first professional a patient
sees and the one who notices when something changes. The role mixes science, judgement and a great
deal of human contact.

## What does a registered nurse do?

RNs assess patients, record their symptoms and history, give medicines and treatments, operate and
monitor medical equipment, and teach patients and families how to manage an illness after they leave.
They work with physicians and other staff to plan care and speak up for the patient when the plan is
not working.

Nurses work in hospitals, clinics, schools, home health, long-term care and public health. Many
specialise: emergency, paediatrics, oncology, critical care, labour and delivery. Hospital nurses
often work shifts that cover nights, weekends and holidays.

## How to become a registered nurse

There are two common routes into the profession:

1. an **associate degree in nursing**, usually offered by community colleges; or
2. a **bachelor of science in nursing**, which adds leadership, research and community health and
   is increasingly what hospitals prefer.

Both combine classroom science — anatomy, physiology, microbiology, pharmacology — with supervised
clinical rotations. Graduates then sit the national licensing exam and apply for a license in their
state. Nurses who start with an associate degree often complete an RN-to-BSN program later while
working, and many go on to graduate study to become nurse practitioners or nurse educators.

## Is it right for you?

Nursing asks for stamina and steadiness: long shifts on your feet, hard conversations and decisions
that matter. In return it offers work that is plainly useful, many settings to choose from and a
clear ladder of further study.
""",
    ),
    ArticleSpec(
        slug="dental-hygienist",
        occupation="Dental Hygienists",
        category="healthcare",
        title="How can I become a dental hygienist?",
        summary="Dental hygienists clean teeth, screen for disease and teach patients to look after their "
        "mouths. The usual route is an accredited associate degree and a state license.",
        field_of_study="Dental hygiene",
        key_skills="Manual dexterity, patient education, attention to detail, infection control",
        certification="A state dental hygiene license, which requires passing written and clinical exams",
        featured=False,
        related=("registered-nurse", "medical-assistant"),
        body="""\
Most people see their dental hygienist more often than their dentist. Hygienists do the cleaning,
spot the early signs of trouble and give the advice that keeps small problems from becoming big ones.

## What does a dental hygienist do?

A hygienist's appointment usually follows a routine, but every mouth is different. Hygienists:

- remove plaque and tartar from teeth above and below the gum line;
- take and develop dental x-rays;
- check gums and teeth for signs of disease and record what they find for the dentist;
- apply sealants and fluoride to protect teeth;
- show patients how to brush, floss and eat in ways that protect their oral health.

They use hand tools, ultrasonic instruments and x-ray equipment, and they follow strict infection
control. Almost all work in dental offices; many work part time, sometimes for more than one
practice.

## How to become a dental hygienist

The usual path is an associate degree in dental hygiene from an accredited program, often at a
community college or technical school. Admission can be competitive and may require prerequisite
courses in biology, chemistry and anatomy. Programs mix lectures and lab work with supervised clinical
practice on real patients.

Every state licenses dental hygienists. Candidates pass a written national board exam and a clinical
exam, and states add their own requirements, such as a test on local law. Bachelor's and master's
degrees in dental hygiene exist for those aiming at teaching, research or public-health programs.

## Is it right for you?

The job suits people with steady hands, patience and a friendly manner with nervous patients. It is
physically precise work, done close up, and it rewards those who like seeing a patient's health
improve from one visit to the next.
""",
    ),
    ArticleSpec(
        slug="medical-assistant",
        occupation="Medical Assistants",
        category="healthcare",
        title="How can I become a medical assistant?",
        summary="Medical assistants keep a practice running, from taking vital signs to scheduling. A short "
        "certificate program is the most common way in.",
        field_of_study="Medical assisting",
        key_skills="Clinical basics, organisation, customer service, medical terminology, multitasking",
        certification="Voluntary medical assistant certifications from national credentialing bodies; "
        "many employers prefer them",
        featured=False,
        related=("medical-records-specialist", "pharmacy-technician", "registered-nurse"),
        body="""\
Medical assistants do a little of everything in a doctor's office, and that variety is the appeal.
One hour they are checking in patients, the next they are drawing blood or explaining how to take a
new medicine.

## What does a medical assistant do?

The job has a clinical side and an administrative side, and the balance depends on the practice.
Clinical tasks include recording patients' history and vital signs, preparing them for examination,
helping the physician during exams, giving injections where state law allows, and collecting
samples for the lab. On the administrative side, assistants schedule appointments, update electronic
health records, handle insurance paperwork and answer patients' questions by phone and portal.

Most medical assistants work in physicians' offices, hospitals and outpatient clinics. Some
specialise — in ophthalmology, podiatry or paediatrics, for example — and learn the procedures of
that field.

## How to become a medical assistant

The most common route is a postsecondary certificate or diploma in medical assisting, offered by
community colleges, technical schools and career colleges, often in a year or less. Programs cover
anatomy, medical terminology, pharmacology basics, clinical procedures and office practice, and many
include an externship in a working clinic. Associate degree programs add general education and can
ease a later move into nursing or health administration.

Certification is voluntary in most states, but employers often prefer certified assistants, and
some tasks, such as entering medication orders, may require it.

## Is it right for you?

This is a good first step into healthcare for people who enjoy both people and procedures. It rewards
those who stay calm when the waiting room is full, and many use it to find out which part of
healthcare they want to pursue next.
""",
    ),
    ArticleSpec(
        slug="pharmacy-technician",
        occupation="Pharmacy Technicians",
        category="healthcare",
        title="How can I become a pharmacy technician?",
        summary="Pharmacy technicians prepare prescriptions under a pharmacist's supervision. Some learn on "
        "the job; a certificate program and certification widen the options.",
        field_of_study="Pharmacy technology",
        key_skills="Accuracy, basic maths, customer service, knowledge of drug names, confidentiality",
        certification="National pharmacy technician certification; many states also require registration "
        "or a license",
        featured=False,
        related=("medical-assistant", "medical-records-specialist"),
        body="""\
Behind every pharmacy counter is a team, and pharmacy technicians do much of its work. They make sure
the right medicine, in the right dose, reaches the right person, always under a pharmacist's
supervision.

## What does a pharmacy technician do?

Technicians take prescription requests from patients and prescribers, measure, count and label
medicines, and enter patient and insurance information into the pharmacy system. They manage
inventory, flag possible problems for the pharmacist and handle payments. In hospitals they may also
prepare intravenous medicines in sterile rooms and deliver medications to wards.

Most work in retail pharmacies and drugstores; others work in hospitals, mail-order pharmacies and
long-term care. Retail pharmacies are often open late and on weekends, so schedules vary.

## How to become a pharmacy technician

Requirements vary by state. Some technicians learn entirely on the job after high school, but many
employers and states look for formal training or certification. Postsecondary certificate programs
at community colleges and technical schools teach pharmacy law and ethics, drug names and uses,
dosage calculations and record keeping, usually with an externship in a working pharmacy.

National certification is earned by passing an exam and is kept current with continuing education.
Many states also require technicians to register with the state board of pharmacy. Technicians who
want to go further can specialise in sterile compounding or move into pharmacy informatics, or use
the experience as a step towards pharmacy school.

## Is it right for you?

If you are precise, comfortable with numbers and patient with the public, this is a practical way
into healthcare. The job carries real responsibility: the checks a technician makes are part of what
keeps medication errors from reaching patients.
""",
    ),
    ArticleSpec(
        slug="paralegal",
        occupation="Paralegals and Legal Assistants",
        category="legal",
        title="How can I become a paralegal?",
        summary="Paralegals research, draft and organise the work behind every case. An associate degree "
        "or a paralegal certificate is the usual way in.",
        field_of_study="Paralegal studies, legal studies",
        key_skills="Legal research, writing, organisation, discretion, legal software",
        certification="Voluntary paralegal certifications from national associations; a few states "
        "regulate the title",
        featured=True,
        related=("police-officer", "accountant"),
        body="""\
Lawyers get the courtroom scenes, but much of the work that wins a case happens earlier, in files,
databases and drafts. Paralegals and legal assistants do a large share of it.

## What does a paralegal do?

Paralegals support lawyers by gathering facts, researching laws and earlier decisions, and organising
everything a case needs. They draft letters, contracts, motions and discovery requests for a
lawyer's review, keep track of deadlines, prepare exhibits and help get witnesses and documents ready
for trial. Paralegals cannot give legal advice, set fees or represent clients in court; the work is
done under an attorney's supervision.

Most work for law firms; others work in corporate legal departments, government agencies and
nonprofit legal aid organisations. Many specialise — in litigation, real estate, family law,
immigration, intellectual property or corporate compliance — and the specialty shapes the day.

## How to become a paralegal

The most common route is an associate degree in paralegal studies. People who already hold a
bachelor's degree in another subject often take a paralegal certificate instead, which concentrates
on the legal coursework. Good programs teach legal research and writing, civil procedure, the
structure of the courts, ethics and the software law offices use, and many include an internship.

Some employers hire graduates with a bachelor's degree and train them on the job. Certification from
a national paralegal association is voluntary but shows employers a tested level of knowledge.

## Is it right for you?

The job rewards careful readers and clear writers who like structure and can keep many deadlines in
their heads. Pressure rises before trials and closings. For many, it is also a way to find out
whether law school is the next step.
""",
    ),
    ArticleSpec(
        slug="web-developer",
        occupation="Web Developers and Digital Designers",
        category="technology",
        title="How can I become a web developer?",
        summary="Web developers and digital designers build the sites and interfaces people use every day. "
        "Degrees are common, but a strong portfolio matters as much.",
        field_of_study="Computer science, web development, interaction design",
        key_skills="HTML, CSS and JavaScript, a back-end language, accessibility, version control, design sense",
        certification="None required; vendor and platform certificates can help",
        featured=False,
        related=("computer-support-specialist", "accountant"),
        body="""\
Every website and web application was built by someone deciding how it should look, how it should
behave and how it should work behind the scenes. Web developers and digital designers are those
people.

## What does a web developer do?

The work splits into a few overlapping roles:

- **Front-end developers** build what visitors see and touch: layouts, forms, navigation and
  interactions that work on any screen and with assistive technology.
- **Back-end developers** build the servers, databases and application logic that store data and
  answer requests.
- **Digital designers** plan the look and flow of a site, test ideas with users and hand developers
  designs they can build.

Day to day, developers write and review code, fix bugs, improve speed and security, and talk with
clients or colleagues about what the site needs to do. Many work for software companies, agencies and
in-house digital teams; others freelance.

## How to become a web developer

Many employers look for a bachelor's degree in computer science, web development or a related
field, while others care most about what you can show. Associate degrees and certificate programs
teach the core skills in less time. Whatever the route, you will need to learn the languages of the
web, a back-end language and framework, databases, version control and the basics of accessibility
and security.

A portfolio of real projects — sites you built, problems you solved, code others can read — often
decides an interview. Because the tools change quickly, the learning never stops.

## Is it right for you?

If you enjoy making things, can stay with a problem until it is solved and like seeing people use
what you built, web development is a satisfying field with many ways in.
""",
    ),
    ArticleSpec(
        slug="computer-support-specialist",
        occupation="Computer Support Specialists",
        category="technology",
        title="How can I become a computer support specialist?",
        summary="Computer support specialists keep people and networks working. Many start with a certificate "
        "or associate degree plus industry certifications.",
        field_of_study="Information technology, computer networking",
        key_skills="Troubleshooting, patience, clear explanations, operating systems, networking basics",
        certification="Vendor-neutral IT support and networking certifications; vendor certifications "
        "for specific systems",
        featured=True,
        related=("web-developer", "electrician"),
        body="""\
When a laptop will not connect, a printer stops answering or a whole office loses its network,
someone has to find out why. Computer support specialists are the people who do, and they are often
the friendliest face of an IT department.

## What does a computer support specialist do?

There are two broad kinds of support work:

- **User support specialists** help people with their hardware and software, in person, by phone or
  through a ticket system. They ask questions, reproduce the problem, walk users through fixes and
  set up new equipment and accounts.
- **Network support specialists** test and maintain an organisation's networks, find the cause of
  outages and keep backups and connections working.

Both keep careful records of what went wrong and how it was fixed, so the next problem is solved
faster. Specialists work in almost every industry; some work evenings or weekends because systems
must stay up around the clock.

## How to become a computer support specialist

Education requirements vary. Some employers hire people who have taken a few computer courses and
show strong skills; many prefer a certificate or associate degree in information technology, and
network roles often ask for more. Programs cover operating systems, hardware, networking, security
basics and customer service.

Industry certifications carry real weight in this field and are a common way to prove skills to a
first employer. On-the-job training then teaches the organisation's own systems. With experience,
specialists move into network administration, cybersecurity or systems roles.

## Is it right for you?

This is a good fit if you like figuring out why things break and can explain the fix without jargon
to someone who is frustrated. Patience matters as much as technical skill.
""",
    ),
    ArticleSpec(
        slug="hvac-technician",
        occupation="Heating, Air Conditioning, and Refrigeration Mechanics and Installers (HVAC)",
        category="skilled-trades",
        title="How can I become an HVAC technician?",
        summary="HVAC technicians install and repair heating, cooling and refrigeration systems. Most train "
        "at a technical school or in an apprenticeship, then learn on the job.",
        field_of_study="Heating, ventilation, air conditioning and refrigeration technology",
        key_skills="Mechanical aptitude, troubleshooting, electrical basics, customer service, physical stamina",
        certification="EPA certification to handle refrigerants; some states and cities license HVAC work",
        featured=False,
        related=("electrician", "computer-support-specialist"),
        body="""\
Heating and cooling are easy to forget until they stop working. HVAC technicians — heating, air
conditioning and refrigeration mechanics and installers — keep homes comfortable, food cold and
buildings safe to work in.

## What does an HVAC technician do?

Technicians install, maintain and repair the systems that control the temperature and quality of the
air. A typical week might include:

- installing furnaces, heat pumps, air conditioners and ductwork in new and renovated buildings;
- connecting systems to fuel and water lines and to electrical wiring and controls;
- testing components, finding faults and replacing parts;
- recovering and recharging refrigerants safely;
- explaining to customers what went wrong and how to keep it from happening again.

Some specialise in commercial refrigeration, solar heating or building controls. The work happens
in attics, basements, rooftops and crawl spaces, in every season, and busy periods can mean overtime.

## How to become an HVAC technician

Many technicians start with a certificate or associate degree from a technical school or community
college, where they learn heating and cooling theory, electrical circuits, blueprint reading and
safety. Others train through an apprenticeship that pairs paid work with classroom hours. Either way,
much of the skill is built on the job under experienced technicians.

Anyone who buys or handles refrigerants must hold EPA certification, earned by passing an exam. Some
states and localities also require a license, and manufacturers offer certifications for their own
equipment.

## Is it right for you?

The trade suits people who like working with their hands, enjoy diagnosing problems and want a job
away from a desk. It is physical work, and it pays back those who keep learning as systems become
more efficient and more computerised.
""",
    ),
    ArticleSpec(
        slug="electrician",
        occupation="Electricians",
        category="skilled-trades",
        title="How can I become an electrician?",
        summary="Electricians install and maintain the wiring that powers homes and businesses. Most learn "
        "through a paid apprenticeship and then earn a license.",
        field_of_study="Electrical technology, electrical construction",
        key_skills="Electrical theory, blueprint reading, safety discipline, problem solving, colour vision",
        certification="A state or local electrician license in most places; apprenticeship completion",
        featured=False,
        related=("hvac-technician", "computer-support-specialist"),
        body="""\
Every light switch, outlet and circuit breaker was put there by an electrician. Electricians install,
maintain and repair the electrical systems in homes, offices and factories, and they do it to codes
that exist to keep people safe.

## What does an electrician do?

Electricians read blueprints and technical diagrams, plan where wiring and equipment will go, and
install wiring, lighting and control systems. They inspect electrical components, test circuits with
meters and testers, find faults and fix them, and they follow the electrical code and local
regulations throughout. Some work mainly on new construction; others on maintenance in plants and
large buildings, where they keep motors, generators and controls running. Growing fields include
solar panel systems, electric vehicle chargers and building automation.

The job takes electricians indoors and out, up ladders and into tight spaces, and it demands strict
safety habits: the hazards of electrical work are real.

## How to become an electrician

Most electricians learn the trade through an apprenticeship that lasts several years. Apprentices are
paid while they train, working under licensed electricians and attending classes in electrical
theory, mathematics, code requirements, safety and first aid. Unions, contractor associations and
individual employers sponsor apprenticeships, and applicants usually need a high school diploma.

Some people start at a technical school, where a certificate or associate program in electrical
technology teaches the basics and may count towards an apprenticeship. Most states require
electricians to be licensed, which usually means passing an exam on the electrical code and local
rules, and experienced electricians can go on to become master electricians or start their own firms.

## Is it right for you?

If you are careful, good with your hands and like understanding how things work, the electrical
trade offers skilled work that is paid from the first day of training.
""",
    ),
    ArticleSpec(
        slug="accountant",
        occupation="Accountants and Auditors",
        category="business",
        title="How can I become an accountant?",
        summary="Accountants and auditors prepare and check financial records. A bachelor's degree in "
        "accounting is the usual starting point; the CPA license opens the most doors.",
        field_of_study="Accounting, finance",
        key_skills="Analytical thinking, accuracy, spreadsheets and accounting software, ethics, communication",
        certification="Certified Public Accountant (CPA) license for public accounting; other professional "
        "certifications for internal audit and management accounting",
        featured=True,
        related=("paralegal", "web-developer"),
        body="""\
Every organisation, from a corner shop to a city government, needs someone who can say where the
money came from, where it went and whether the numbers can be trusted. Accountants and auditors are
those people.

## What does an accountant do?

Accountants prepare and examine financial records and make sure they are accurate and that taxes are
paid properly and on time. Auditors check that an organisation's records are correct and its
controls sound. In practice the work includes:

- preparing financial statements and tax returns;
- reviewing accounts for errors, waste and fraud;
- advising managers on costs, budgets and ways to save;
- explaining findings in reports and meetings.

Some accountants work in public accounting firms serving many clients; others work inside companies,
government agencies and nonprofits. There are many specialties: tax, forensic accounting, internal
audit, management accounting and government accounting among them. The busiest weeks cluster around
tax deadlines and the end of the financial year.

## How to become an accountant

Most accountant and auditor jobs ask for a bachelor's degree in accounting or a related field. Some
employers prefer a master's degree in accounting or taxation, or an MBA with an accounting
concentration. Associate degrees and bookkeeping certificates lead to support roles and can be a
first step.

Accountants who file reports with regulators or sign audits must be Certified Public Accountants.
CPA candidates meet their state's education and experience requirements and pass a national exam.
Other professional certifications recognise expertise in internal audit, management accounting and
fraud examination.

## Is it right for you?

Accounting suits people who like order, can stay precise through detail and want a career that is
needed in every industry. Good accountants are also good explainers: the numbers matter only when
someone understands them.
""",
    ),
    ArticleSpec(
        slug="police-officer",
        occupation="Police and Detectives",
        category="criminal-justice",
        title="How can I become a police officer?",
        summary="Police officers protect lives and property; detectives gather facts about crimes. The path "
        "runs through an agency's hiring process and its training academy.",
        field_of_study="Criminal justice, criminology, law enforcement",
        key_skills="Judgement, communication, empathy, physical fitness, report writing, composure",
        certification="Completion of a state-approved police academy and state peace officer certification",
        featured=False,
        related=("paralegal", "accountant"),
        body="""\
Police officers respond when something has gone wrong, often on the worst day of someone's life.
Detectives follow up, gathering the facts that explain what happened and who is responsible. Both
jobs ask for good judgement under pressure and a commitment to serving the public fairly.

## What does a police officer do?

Uniformed officers patrol assigned areas, respond to emergency and non-emergency calls, enforce
laws, direct traffic at accidents, and arrest suspects when needed. A large share of the job is
writing clear, accurate reports and, when cases go to trial, testifying in court. Community policing
— getting to know residents and solving recurring problems with them — is a growing part of the work.

Detectives and criminal investigators collect evidence, interview witnesses and suspects, examine
records and take part in arrests and raids. Many specialise in a type of crime, such as fraud,
homicide or cybercrime.

Officers work for city, county and state agencies as well as federal agencies. The work continues
around the clock, so shifts, overtime and holidays on duty are common, and the job can be physically
demanding and stressful.

## How to become a police officer

Requirements differ by agency. Most ask for at least a high school diploma, and many state and
federal agencies look for college coursework or a degree in criminal justice or a related field.
Applicants must usually be citizens, meet age and physical requirements, and pass written tests, a
background investigation, and medical and psychological evaluations.

New recruits then complete training at an agency or state academy covering law, procedure, ethics,
firearms, self-defence, first aid and emergency driving, followed by supervised field training.
Officers typically gain experience on patrol before applying for promotion to detective.

## Is it right for you?

The job suits people who stay calm in tense situations, communicate well with everyone they meet and
want work that matters to their community.
""",
    ),
)
