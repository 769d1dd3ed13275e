"""Demo consultations: one open (the municipal beaches), one closed with a published report
(the traffic plan of Ermoupoli's centre). Idempotent: looked up by title."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person
from syros_app.identity.roles import Actor, Role

from . import actions, queries
from .models import Consultation

BEACHES = "Κανονισμός χρήσης των δημοτικών παραλιών"
TRAFFIC = "Κυκλοφοριακό σχέδιο του κέντρου της Ερμούπολης"

RESIDENTS = [
    ("40000011", "Ελένη Παπαδάκη", "Ελένη Π."),
    ("40000012", "Γιώργος Βαφειάδης", None),
    ("40000013", "Κατερίνα Ρούσσου", "Κατερίνα από Βάρη"),
    ("40000014", "Νίκος Καλαματιανός", "Νίκος Κ."),
    ("40000015", "Μαρία Συριανή", "Μαρία Σ."),
    ("40000016", "Αντώνης Πρίντεζης", "Αντώνης Π."),
]
STAFF = ("49000001", "Γραφείο Διαβούλευσης Δήμου", "Γραφείο Διαβούλευσης")

BEACH_ARTICLES = [
    ("Σκοπός και πεδίο εφαρμογής",
     "Ο κανονισμός ρυθμίζει τη χρήση των παραλιών που διαχειρίζεται ο Δήμος Σύρου-Ερμούπολης, ώστε να παραμένουν "
     "καθαρές, ασφαλείς και προσβάσιμες σε όλους, κατοίκους και επισκέπτες.\n"
     "Εφαρμόζεται σε όλες τις οργανωμένες και μη οργανωμένες παραλίες του νησιού, όπως ο Γαλησσάς, η Φοίνικα, ο "
     "Βάρης, το Κίνι, η Αγκαθωπές και ο Αζόλιμνος."),
    ("Ελεύθερη πρόσβαση και ελεύθερος χώρος",
     "Η πρόσβαση στον αιγιαλό είναι ελεύθερη. Σε κάθε παραλία τουλάχιστον το 50% του μετώπου μένει ελεύθερο από "
     "ξαπλώστρες και ομπρέλες παραχώρησης.\n"
     "Απαγορεύεται η περίφραξη ή η κράτηση θέσεων με αντικείμενα χωρίς την παρουσία του λουόμενου."),
    ("Καθαριότητα και ανακύκλωση",
     "Σε κάθε οργανωμένη παραλία τοποθετούνται κάδοι ανακύκλωσης και κάδοι για αποτσίγαρα ανά 50 μέτρα.\n"
     "Απαγορεύεται το κάπνισμα στις παιδικές ζώνες και η εγκατάλειψη απορριμμάτων. Ο καθαρισμός γίνεται "
     "καθημερινά από 1η Ιουνίου έως 30 Σεπτεμβρίου."),
    ("Κατοικίδια ζώα",
     "Τα κατοικίδια επιτρέπονται σε ειδικά σημασμένες ζώνες, με λουρί και υπό την επίβλεψη του ιδιοκτήτη τους, ο "
     "οποίος οφείλει να απομακρύνει τα περιττώματα.\n"
     "Σε κάθε παραλία με ναυαγοσώστη ορίζεται τουλάχιστον μία ζώνη κατοικιδίων."),
    ("Προσβασιμότητα",
     "Ο Δήμος εγκαθιστά ράμπες και συστήματα αυτόνομης πρόσβασης στη θάλασσα (Seatrac) στις παραλίες Γαλησσά και "
     "Βάρη, καθώς και θέσεις στάθμευσης για άτομα με αναπηρία κοντά στην είσοδο κάθε οργανωμένης παραλίας."),
    ("Μουσική και θόρυβος",
     "Η μουσική από επιχειρήσεις της παραλίας επιτρέπεται μόνο σε χαμηλή ένταση, από τις 10:00 έως τις 20:00.\n"
     "Απαγορεύονται τα ηχεία σε ένταση που ενοχλεί τους λουόμενους."),
    ("Ναυαγοσωστική κάλυψη",
     "Ναυαγοσώστης υπάρχει από 15 Ιουνίου έως 15 Σεπτεμβρίου, 10:00–19:00, στις παραλίες με τη μεγαλύτερη "
     "επισκεψιμότητα. Ο Δήμος δημοσιεύει κάθε χρόνο τον κατάλογο των καλυπτόμενων παραλιών."),
    ("Κυρώσεις",
     "Οι παραβάσεις του κανονισμού βεβαιώνονται από τη Δημοτική Αστυνομία και επισύρουν πρόστιμο από 50 έως 500 "
     "ευρώ, ανάλογα με τη σοβαρότητα και την υποτροπή."),
]

TRAFFIC_ARTICLES = [
    ("Πεζοδρόμηση της οδού Πρωτοπαπαδάκη",
     "Η οδός Πρωτοπαπαδάκη πεζοδρομείται από την πλατεία Μιαούλη έως την οδό Χίου.\n"
     "Η τροφοδοσία των καταστημάτων επιτρέπεται 06:00–10:00."),
    ("Στάθμευση κατοίκων",
     "Δημιουργούνται θέσεις στάθμευσης αποκλειστικά για κατοίκους στις γειτονιές Βαπόρια και Άγιος Νικόλαος, με "
     "ετήσια κάρτα κατοίκου."),
    ("Δημοτική συγκοινωνία",
     "Νέα γραμμή μικρού λεωφορείου συνδέει το λιμάνι, την πλατεία Μιαούλη, το Νοσοκομείο και την Άνω Σύρο κάθε 30 λεπτά."),
    ("Ποδήλατα και πατίνια",
     "Ορίζονται θέσεις στάθμευσης ποδηλάτων στην πλατεία Μιαούλη, στο λιμάνι και στο Δημαρχείο."),
]


def _people(session: Session) -> tuple[Actor, list[Actor]]:
    def person(prefix: str, name: str, nickname: str | None) -> Person:
        digest = taxid_hmac(with_check_digit(prefix))
        found = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if found is None:
            now = utcnow()
            found = Person(taxid_hmac=digest, display_name=name, nickname=nickname, birth_year=1975,
                           first_login_at=now, last_login_at=now)
            session.add(found)
            session.flush()
        return found

    staff_person = person(*STAFF)
    staff = Actor(person_id=staff_person.id, display_name=staff_person.public_name, taxid_hmac=staff_person.taxid_hmac,
                  roles=frozenset({Role.RESIDENT, Role.MODERATOR, Role.ADMINISTRATOR}))
    residents = []
    for prefix, name, nickname in RESIDENTS:
        p = person(prefix, name, nickname)
        residents.append(Actor(person_id=p.id, display_name=p.public_name, taxid_hmac=p.taxid_hmac,
                               roles=frozenset({Role.RESIDENT})))
    return staff, residents


def _exists(session: Session, title: str) -> bool:
    return session.exec(select(Consultation.id).where(Consultation.title == title)).first() is not None


@demo_loader("consultations")
def load(session: Session) -> int:
    added = 0
    staff, r = _people(session)
    now = utcnow()
    if not _exists(session, BEACHES):
        added += _beaches(session, staff, r, now)
    if not _exists(session, TRAFFIC):
        added += _traffic(session, staff, r, now)
    return added


def _beaches(session: Session, staff: Actor, r: list[Actor], now) -> int:
    start = now - timedelta(days=6)
    c = actions.create_consultation(
        session, actor=staff, title=BEACHES, category="environment", area=None, opens_at=start,
        closes_at=now + timedelta(days=24), moderation_mode="post", now=start - timedelta(days=1),
        summary=("Ο Δήμος θέτει σε δημόσια διαβούλευση τον νέο κανονισμό χρήσης των δημοτικών παραλιών της Σύρου. "
                 "Σχολιάστε κάθε άρθρο: οι προτάσεις σας θα απαντηθούν μία προς μία πριν ο κανονισμός πάει στο "
                 "Δημοτικό Συμβούλιο."),
        sections=BEACH_ARTICLES,
    )
    actions.open_consultation(session, actor=staff, consultation_id=c.id, now=start)
    s = queries.sections_of(session, c.id)
    t = start + timedelta(hours=2)

    def post(who: int, text: str, *, section: int | None = None, parent=None, hours: float = 3):
        nonlocal t
        t += timedelta(hours=hours)
        return actions.post_comment(session, actor=r[who], consultation_id=c.id, body=text, now=t,
                                    section_id=s[section].id if section is not None else None,
                                    parent_id=parent.id if parent else None)

    a = post(0, "Το 50% ελεύθερου χώρου είναι λίγο για τον Γαλησσά τον Αύγουστο. Προτείνω 60% και σήμανση των ορίων "
                "της παραχώρησης με ταμπέλες.", section=1)
    b = post(3, "Συμφωνώ. Πέρσι στη Φοίνικα δεν έβρισκες μέρος να απλώσεις πετσέτα μετά τις 11.", parent=a)
    post(0, "Ακριβώς· και να φαίνεται στην πινακίδα πόσα μέτρα είναι η παραχώρηση.", parent=b)
    d = post(1, "Οι κάδοι ανακύκλωσης να αδειάζουν και τα Σαββατοκύριακα. Τον Ιούλιο στο Κίνι ξεχείλιζαν.", section=2)
    post(4, "Και κάδοι για αποτσίγαρα στην άμμο, όχι μόνο στην είσοδο.", parent=d)
    e = post(2, "Ως ιδιοκτήτρια σκύλου στον Βάρη: χρειαζόμαστε και σκιά και βρύση στη ζώνη κατοικιδίων.", section=3)
    post(5, "Η ζώνη κατοικιδίων να είναι μακριά από την παιδική ζώνη, σε κάθε περίπτωση.", parent=e)
    f = post(4, "Πολύ θετικό το Seatrac. Να προστεθεί και ο Αζόλιμνος, που έχει ήπιο βυθό και είναι κοντά στην πόλη.",
             section=4)
    g = post(5, "Το 20:00 για τη μουσική είναι αργά για οικογένειες με μωρά. Προτείνω έως τις 19:00.", section=5)
    post(1, "Διαφωνώ, τα beach bar κρατούν ζωντανή την παραλία το απόγευμα. Ας μείνει 20:00 με όριο ντεσιμπέλ.",
         parent=g)
    h = post(3, "Ναυαγοσώστης και στις Αγκαθωπές: έχει πολύ κόσμο και ρεύματα τις μέρες με μελτέμι.", section=6)
    post(0, "Γενικά καλό σχέδιο. Να γίνει και μια έντυπη ενημέρωση στα ΚΕΠ για όσους δεν έχουν κινητό.")
    post(2, "Τα πρόστιμα να πηγαίνουν σε έναν λογαριασμό για την καθαριότητα των παραλιών.", section=7)
    for comment, supporters in ((a, [1, 2, 3, 4, 5]), (d, [0, 2, 5]), (f, [0, 1, 2, 3]), (g, [0, 2]), (h, [1, 4])):
        for who in supporters:
            if r[who].person_id != comment.person_id:
                actions.support_comment(session, actor=r[who], comment_id=comment.id, value="agree", now=t)
    actions.support_comment(session, actor=r[3], comment_id=g.id, value="disagree", now=t)
    return 1


def _traffic(session: Session, staff: Actor, r: list[Actor], now) -> int:
    start = now - timedelta(days=75)
    end = now - timedelta(days=40)
    c = actions.create_consultation(
        session, actor=staff, title=TRAFFIC, category="transport", area="Ερμούπολη", opens_at=start, closes_at=end,
        moderation_mode="post", now=start - timedelta(days=2),
        summary=("Σχέδιο για λιγότερα αυτοκίνητα και περισσότερο χώρο για τους πεζούς στο ιστορικό κέντρο της "
                 "Ερμούπολης: πεζοδρομήσεις, στάθμευση κατοίκων, νέα δημοτική συγκοινωνία."),
        sections=TRAFFIC_ARTICLES,
    )
    actions.open_consultation(session, actor=staff, consultation_id=c.id, now=start)
    s = queries.sections_of(session, c.id)
    t = start + timedelta(days=1)

    def post(who: int, text: str, *, section: int | None = None, parent=None):
        nonlocal t
        t += timedelta(hours=20)
        return actions.post_comment(session, actor=r[who], consultation_id=c.id, body=text, now=t,
                                    section_id=s[section].id if section is not None else None,
                                    parent_id=parent.id if parent else None)

    a = post(1, "Η τροφοδοσία 06:00–10:00 δεν φτάνει για τα καταστήματα τροφίμων. Να επεκταθεί έως τις 11:00.", section=0)
    b = post(3, "Ως επαγγελματίας της Πρωτοπαπαδάκη συμφωνώ, τα φορτηγά του πλοίου φτάνουν μετά τις 9.", parent=a)
    d = post(0, "Οι κάρτες κατοίκου να ισχύουν και για τους κατοίκους της Άνω Σύρου που δουλεύουν στο κέντρο.",
             section=1)
    e = post(4, "Το μικρό λεωφορείο να περνά και από το Νεώριο, εκεί δουλεύουν εκατοντάδες άνθρωποι.", section=2)
    f = post(5, "Κάθε 30 λεπτά είναι αραιά· τουλάχιστον κάθε 20 τις ώρες αιχμής.", section=2)
    g = post(2, "Να μπουν και φορτιστές για ηλεκτρικά ποδήλατα στις θέσεις στάθμευσης.", section=3)
    h = post(1, "Να γίνει και υπόγειο πάρκινγκ κάτω από την πλατεία Μιαούλη.")
    for comment, supporters in ((a, [0, 3, 5]), (d, [2, 4]), (e, [0, 1, 3, 5]), (f, [3]), (g, [0, 4])):
        for who in supporters:
            if r[who].person_id != comment.person_id:
                actions.support_comment(session, actor=r[who], comment_id=comment.id, value="agree", now=t)
    actions.close_consultation(session, actor=staff, consultation_id=c.id, now=end)
    later = end + timedelta(days=10)

    def respond(comments, outcome, reason):
        actions.record_response(session, actor=staff, consultation_id=c.id, comment_ids=[x.id for x in comments],
                                outcome=outcome, reason=reason, now=later)

    respond([a, b], "accepted", "Η τροφοδοσία επεκτείνεται έως τις 11:00 τις καθημερινές.")
    respond([d], "partly", "Οι κάτοικοι της Άνω Σύρου που εργάζονται στο κέντρο παίρνουν κάρτα με περιορισμένες ώρες "
                           "(08:00–16:00).")
    respond([e, f], "accepted", "Η γραμμή περνά από το Νεώριο και πυκνώνει στα 20 λεπτά 07:00–10:00 και 13:00–16:00.")
    respond([g], "not_accepted", "Δεν υπάρχει προς το παρόν χρηματοδότηση· θα εξεταστεί στο επόμενο πρόγραμμα.")
    respond([h], "out_of_scope", "Υπόγειο πάρκινγκ στην πλατεία δεν επιτρέπεται από το καθεστώς προστασίας του "
                                 "ιστορικού κέντρου.")
    def revise(section, body: str, summary: str) -> None:
        """The text after the consultation, and what changed, as staff publish it."""
        actions.edit_section(session, actor=staff, section_id=section.id, title=section.title, body=body,
                             note="Μετά τη διαβούλευση", now=later)
        actions.set_change_summary(session, actor=staff, section_id=section.id, summary=summary, now=later)

    revise(s[0], "Η οδός Πρωτοπαπαδάκη πεζοδρομείται από την πλατεία Μιαούλη έως την οδό Χίου.\n"
                 "Η τροφοδοσία των καταστημάτων επιτρέπεται 06:00–11:00 τις καθημερινές.",
           "Η τροφοδοσία επεκτείνεται κατά μία ώρα, έως τις 11:00.")
    revise(s[2], "Νέα γραμμή μικρού λεωφορείου συνδέει το λιμάνι, την πλατεία Μιαούλη, το Νεώριο, το "
                 "Νοσοκομείο και την Άνω Σύρο κάθε 30 λεπτά, και κάθε 20 λεπτά τις ώρες αιχμής.",
           "Προστέθηκε στάση στο Νεώριο και συχνότερα δρομολόγια τις ώρες αιχμής.")
    actions.publish_report(
        session, actor=staff, consultation_id=c.id, now=later,
        summary=("Στη διαβούλευση συμμετείχαν 6 κάτοικοι με 7 σχόλια και απαντήσεις. Δεχτήκαμε τις προτάσεις για "
                 "μεγαλύτερο ωράριο τροφοδοσίας και για τη στάση στο Νεώριο· το τελικό σχέδιο πηγαίνει στο Δημοτικό "
                 "Συμβούλιο του Δεκεμβρίου."),
    )
    return 1
