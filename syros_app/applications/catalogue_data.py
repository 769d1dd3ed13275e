"""The demo catalogue: four local services with their forms, and two national services
that live on gov.gr (shown as links). Plain data, read by ``demo``."""

from __future__ import annotations

UNITS = ("Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία")  # == reports.rules.MUNICIPAL_UNITS


def _text(key, el, en, *, required=True, prefill=None, help_el="", help_en="", kind="text"):
    field = {"key": key, "type": kind, "required": required, "label_el": el, "label_en": en,
             "help_el": help_el, "help_en": help_en}
    if prefill:
        field["prefill"] = prefill
    return field


APPLICANT = [
    _text("full_name", "Ονοματεπώνυμο", "Full name", prefill="name",
          help_el="Όπως στην ταυτότητά σας· το συμπληρώσαμε από το gov.gr.",
          help_en="As on your identity card; filled in from gov.gr."),
    _text("father_name", "Πατρώνυμο", "Father's name", prefill="father_name"),
    _text("phone", "Τηλέφωνο επικοινωνίας", "Contact phone",
          help_el="Ένα κινητό ή σταθερό, για να σας καλέσει η υπηρεσία αν χρειαστεί.",
          help_en="A mobile or landline, so the department can call you if needed."),
]

_AREA = {"key": "area", "type": "choice", "required": True, "label_el": "Δημοτική ενότητα", "label_en": "Municipal unit",
         "help_el": "Από αυτήν εξαρτώνται οι ημέρες αποκομιδής.", "help_en": "The pickup days depend on it.",
         "choices": [{"value": u, "label_el": u, "label_en": u} for u in UNITS]}
_ADDRESS = {"key": "address", "type": "address", "required": True, "label_el": "Διεύθυνση", "label_en": "Address",
            "help_el": "Οδός, αριθμός και περιοχή.", "help_en": "Street, number and area."}
_PDF_OR_IMAGE = ["application/pdf", "image/jpeg", "image/png"]

SERVICES = [
    {
        "slug": "bulky-waste-pickup", "department": "cleaning", "target_days": 5, "paper_pages": 1,
        "uses_pickup_slots": True, "protocol_at_submission": True, "sort_order": 1,
        "title_el": "Αποκομιδή ογκωδών αντικειμένων", "title_en": "Bulky-waste pickup",
        "purpose_el": "Η Υπηρεσία Καθαριότητας παραλαμβάνει δωρεάν από την πόρτα σας έπιπλα, στρώματα και "
                      "μεγάλες συσκευές, την ημέρα που διαλέγετε.",
        "purpose_en": "The cleaning service collects furniture, mattresses and large appliances from your door, "
                      "free of charge, on the day you choose.",
        "eligibility_el": "Κάτοικοι και ιδιοκτήτες ακινήτων στη Σύρο.",
        "eligibility_en": "Residents and property owners on Syros.",
        "documents_el": "", "documents_en": "", "fee_el": "", "fee_en": "",
        "fields": APPLICANT + [_AREA, _ADDRESS, {
            "key": "items", "type": "textarea", "required": True, "label_el": "Τι θα παραληφθεί",
            "label_en": "What to collect", "help_el": "Π.χ. ένας καναπές, δύο καρέκλες, ένα ψυγείο.",
            "help_en": "E.g. one sofa, two chairs, a fridge."}],
    },
    {
        "slug": "sidewalk-table-permit", "department": "technical", "target_days": 20, "paper_pages": 6,
        "protocol_at_submission": True, "sort_order": 2, "mitos_id": "367012",
        "title_el": "Άδεια χρήσης κοινόχρηστου χώρου (τραπεζοκαθίσματα)",
        "title_en": "Sidewalk table permit (use of public space)",
        "purpose_el": "Άδεια για τοποθέτηση τραπεζιών και καθισμάτων σε πεζοδρόμιο ή πλατεία μπροστά από "
                      "κατάστημα υγειονομικού ενδιαφέροντος.",
        "purpose_en": "A permit to place tables and chairs on a sidewalk or square in front of a food or drink "
                      "business.",
        "eligibility_el": "Οι υπεύθυνοι καταστημάτων με άδεια λειτουργίας.",
        "eligibility_en": "Operators of businesses with an operating licence.",
        "documents_el": "Τοπογραφικό ή σκαρίφημα του χώρου\nΆδεια λειτουργίας του καταστήματος",
        "documents_en": "Site plan or sketch of the space\nThe business's operating licence",
        "fee_el": "Τέλος ανά τετραγωνικό μέτρο, κατά την απόφαση του Δημοτικού Συμβουλίου· πληρώνεται στο Ταμείο.",
        "fee_en": "A fee per square metre, as set by the Municipal Council; paid at the cashier's office.",
        "fields": APPLICANT + [
            _text("business", "Επωνυμία καταστήματος", "Business name"),
            _ADDRESS,
            {"key": "area_m2", "type": "number", "required": True, "label_el": "Εμβαδόν (τ.μ.)",
             "label_en": "Area (m²)", "help_el": "Όσο δείχνει το σκαρίφημα.", "help_en": "As shown on the sketch.",
             "min": 1, "max": 500},
            {"key": "season_start", "type": "date", "required": True, "label_el": "Από", "label_en": "From",
             "help_el": "", "help_en": ""},
            {"key": "plan", "type": "attachment", "required": True, "label_el": "Σκαρίφημα του χώρου",
             "label_en": "Sketch of the space", "help_el": "PDF, JPEG ή PNG, έως 5 MB.",
             "help_en": "PDF, JPEG or PNG, up to 5 MB.", "max_bytes": 5 * 1024 * 1024, "types": _PDF_OR_IMAGE},
        ],
    },
    {
        "slug": "water-meter-change", "department": "water_liaison", "target_days": 10, "paper_pages": 2,
        "protocol_at_submission": True, "sort_order": 3,
        "title_el": "Αλλαγή υδρομέτρου", "title_en": "Water-meter change",
        "purpose_el": "Αντικατάσταση χαλασμένου υδρομέτρου ή μεταφορά της παροχής σε νέο όνομα.",
        "purpose_en": "Replacing a broken water meter, or moving the connection to a new name.",
        "eligibility_el": "Ο ιδιοκτήτης ή ο μισθωτής του ακινήτου.",
        "eligibility_en": "The owner or tenant of the property.",
        "documents_el": "Τελευταίος λογαριασμός νερού", "documents_en": "The latest water bill",
        "fee_el": "30 € για αντικατάσταση μετά από βλάβη από υπαιτιότητα του χρήστη.",
        "fee_en": "€30 for a replacement after damage caused by the user.",
        "fields": APPLICANT + [
            _ADDRESS,
            _text("meter_number", "Αριθμός υδρομέτρου", "Water-meter number",
                  help_el="Τυπώνεται στον λογαριασμό και πάνω στο υδρόμετρο.",
                  help_en="Printed on the bill and on the meter itself."),
            {"key": "reason", "type": "choice", "required": True, "label_el": "Λόγος", "label_en": "Reason",
             "help_el": "", "help_en": "", "choices": [
                 {"value": "broken", "label_el": "Βλάβη", "label_en": "Broken"},
                 {"value": "new_holder", "label_el": "Αλλαγή δικαιούχου", "label_en": "New account holder"}]},
            {"key": "bill", "type": "attachment", "required": False, "label_el": "Λογαριασμός νερού",
             "label_en": "Water bill", "help_el": "PDF, JPEG ή PNG, έως 3 MB.",
             "help_en": "PDF, JPEG or PNG, up to 3 MB.", "max_bytes": 3 * 1024 * 1024, "types": _PDF_OR_IMAGE},
        ],
    },
    {
        "slug": "cemetery-certificate", "department": "citizen_service", "target_days": 3, "paper_pages": 1,
        "protocol_at_submission": False, "sort_order": 4,
        "title_el": "Βεβαίωση ταφής", "title_en": "Cemetery (burial) certificate",
        "purpose_el": "Βεβαίωση για την ταφή προσώπου σε δημοτικό κοιμητήριο της Σύρου.",
        "purpose_en": "A certificate of a burial in a municipal cemetery of Syros.",
        "eligibility_el": "Συγγενείς έως δευτέρου βαθμού.", "eligibility_en": "Relatives up to the second degree.",
        "documents_el": "", "documents_en": "", "fee_el": "", "fee_en": "",
        "fields": APPLICANT + [
            _text("deceased", "Ονοματεπώνυμο του θανόντος", "Name of the deceased"),
            {"key": "burial_date", "type": "date", "required": False, "label_el": "Ημερομηνία ταφής",
             "label_en": "Date of burial", "help_el": "Αν τη γνωρίζετε.", "help_en": "If you know it."},
            {"key": "cemetery", "type": "choice", "required": True, "label_el": "Κοιμητήριο", "label_en": "Cemetery",
             "help_el": "", "help_en": "", "choices": [
                 {"value": "agios_georgios", "label_el": "Αγίου Γεωργίου (Ερμούπολη)",
                  "label_en": "Agios Georgios (Ermoupoli)"},
                 {"value": "ano_syros", "label_el": "Άνω Σύρου", "label_en": "Ano Syros"},
                 {"value": "posidonia", "label_el": "Ποσειδωνίας", "label_en": "Posidonia"}]},
            {"key": "purpose", "type": "textarea", "required": False, "label_el": "Για ποια χρήση",
             "label_en": "What it is for", "help_el": "", "help_en": ""},
        ],
    },
    {
        "slug": "permanent-residence-certificate", "department": "citizen_service", "target_days": 0,
        "paper_pages": 1, "sort_order": 10, "mitos_id": "591022",
        "govgr_url": "https://www.gov.gr/ipiresies/polites-kai-kathemerinoteta/demotologio/bebaiose-monimes-katoikias",
        "title_el": "Βεβαίωση μόνιμης κατοικίας", "title_en": "Permanent-residence certificate",
        "purpose_el": "Εκδίδεται αμέσως στο gov.gr με τους κωδικούς Taxisnet.",
        "purpose_en": "Issued at once on gov.gr with your Taxisnet credentials.",
    },
    {
        "slug": "family-status-certificate", "department": "citizen_service", "target_days": 0,
        "paper_pages": 1, "sort_order": 11, "mitos_id": "228934",
        "govgr_url": "https://www.gov.gr/ipiresies/polites-kai-kathemerinoteta/demotologio/pistopoietiko-oikogeneiakes-katastases",
        "title_el": "Πιστοποιητικό οικογενειακής κατάστασης", "title_en": "Family-status certificate",
        "purpose_el": "Εκδίδεται αμέσως στο gov.gr με τους κωδικούς Taxisnet.",
        "purpose_en": "Issued at once on gov.gr with your Taxisnet credentials.",
    },
]
