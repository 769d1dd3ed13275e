"""Demo notices about Syros (idempotent: looked up by title)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader

from .models import Notice

DEMO = [
    dict(title="Θυελλώδεις άνεμοι έως 9 μποφόρ: οδηγίες πολιτικής προστασίας", category="civil_protection",
         area=None, urgent=True, hours_ago=2, valid_hours=36, link="https://civilprotection.gov.gr",
         body="Η ΕΜΥ εξέδωσε έκτακτο δελτίο: θυελλώδεις βόρειοι άνεμοι 8 έως 9 μποφόρ στις Κυκλάδες από σήμερα το "
              "απόγευμα έως αύριο το βράδυ. Στερεώστε αντικείμενα σε μπαλκόνια και αυλές, αποφύγετε τις "
              "παραλιακές οδούς στη Φοινικιά και τον Κίνι, ελέγξτε τα δρομολόγια των πλοίων πριν ξεκινήσετε. "
              "Για έκτακτη ανάγκη καλέστε το 112."),
    dict(title="Διακοπή νερού στην Άνω Σύρο την Πέμπτη 09:00–14:00", category="water", area="Άνω Σύρος",
         urgent=False, hours_ago=20, valid_hours=60, link=None,
         body="Λόγω επισκευής κεντρικού αγωγού στην οδό Σαν Τζώρτζη, θα διακοπεί η υδροδότηση στον οικισμό της "
              "Άνω Σύρου και στις Πάνω Μάνες την Πέμπτη από 09:00 έως 14:00. Η ΔΕΥΑ Σύρου ζητά από τους "
              "κατοίκους να κάνουν απόθεμα νερού. Πληροφορίες: 22810 82000."),
    dict(title="Έργα ανάπλασης στην οδό Ερμού: αλλαγές στην κυκλοφορία", category="roads_works",
         area="Ερμούπολη", urgent=False, hours_ago=50, valid_hours=24 * 30, link=None,
         body="Ξεκινούν οι εργασίες ανακατασκευής του πεζοδρομίου και των αγωγών ομβρίων στην οδό Ερμού, από την "
              "πλατεία Μιαούλη έως την Αγορά. Για τέσσερις εβδομάδες η κίνηση οχημάτων θα γίνεται μόνο για "
              "τροφοδοσία 06:00–10:00. Η πρόσβαση πεζών στα καταστήματα παραμένει ανοιχτή."),
    dict(title="Γιορτή της Άνω Σύρου: μουσική, χορός και τοπικά εδέσματα", category="culture_events",
         area="Άνω Σύρος", urgent=False, hours_ago=72, valid_hours=24 * 10, link=None,
         body="Ο Δήμος και ο Πολιτιστικός Σύλλογος Άνω Σύρου σας προσκαλούν στη γιορτή του οικισμού στην πλατεία "
              "του Αγίου Γεωργίου, το Σάββατο από τις 19:00. Ρεμπέτικα αφιερωμένα στον Μάρκο Βαμβακάρη, "
              "παραδοσιακοί χοροί και λουκούμια, χαλβαδόπιτες και σαν μιχάλη. Είσοδος ελεύθερη."),
    dict(title="Συνεδρίαση Δημοτικού Συμβουλίου: προϋπολογισμός 2027", category="municipal_council",
         area=None, urgent=False, hours_ago=96, valid_hours=None, link=None,
         body="Το Δημοτικό Συμβούλιο συνεδριάζει δημόσια τη Δευτέρα στις 18:30 στην αίθουσα «Μάρκος Βαμβακάρης» "
              "του Δημαρχείου Ερμούπολης. Κύριο θέμα: ο προϋπολογισμός του 2027. Η συνεδρίαση μεταδίδεται "
              "ζωντανά."),
    dict(title="Καθαρισμός ακτών στη Ποσειδωνία και στο Φοίνικα", category="general", area="Ποσειδωνία",
         urgent=False, hours_ago=120, valid_hours=None, link=None,
         body="Εθελοντικός καθαρισμός των ακτών της Ποσειδωνίας (Ντελαγκράτσια) και του Φοίνικα την Κυριακή στις "
              "10:00. Ο Δήμος διαθέτει γάντια και σακούλες. Συνάντηση στο λιμανάκι του Φοίνικα."),
]


@demo_loader("notices")
def load_notices(session: Session) -> int:
    now = utcnow()
    added = 0
    for item in DEMO:
        if session.exec(select(Notice.id).where(Notice.title == item["title"])).first() is not None:
            continue
        published = now - timedelta(hours=item["hours_ago"])
        session.add(Notice(
            title=item["title"], body=item["body"], category=item["category"], area=item["area"],
            urgent=item["urgent"], link=item["link"], created_at=published, published_at=published,
            valid_from=published,
            valid_until=published + timedelta(hours=item["valid_hours"]) if item["valid_hours"] else None))
        added += 1
    return added
