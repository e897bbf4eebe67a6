from parsclaim.inference.extractor import Extractor
TEXT = ("منابع و مآخذ\n1. مطهری، مرتضی، عدل الهی، تهران: انتشارات صدرا، چ2، 1361.\n"
        "2. مفید، محمد بن نعمان، المقنعه، قم: مؤسسه النشر الاسلامی، چ4، 1417ق.\n"
        "3. نراقی، احمد، مستند الشیعه، ج16، قم: مؤسسه آل البیت، 1419ق.\n"
        "4. هاشمی، حسین، مبانی فقهی و حقوقی مجمع تشخیص مصلحت نظام، قم: مرکز مطالعات، 1381.\n"
        "5. هدایت نیا، فرج الله، عناوین ثانویه و حقوق خانواده، قم: پژوهشگاه فرهنگ و اندیشه، 1392.\n"
        "دانشجوی دکتری دانشگاه پیام نور\nمحمود فلاح\nرئیس دانشگاه تهران گفت: امسال ۱۲ هزار دانشجو پذیرفته شدند.")
ex = Extractor.from_pretrained("parsclaim/default_model")
for method in ("viterbi", "argmax"):
    ex.decoding = method
    a = ex.extract(TEXT)
    bad = [(x.get("label", "CLAIM"), a["text"][x["start"]:x["end"]]) for x in a["entities"] + a["claims"] if "\n" in a["text"][x["start"]:x["end"]]]
    print(method, len(a["entities"]), bad)
    print([(e["label"], TEXT[e["start"]:e["end"]]) for e in a["entities"]])
