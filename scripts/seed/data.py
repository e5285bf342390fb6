"""The seed's fixed data: sizes, names, places, the catalogue, and the texts and shares of the
compliance gate and of the demo's life. Plain values; nothing here touches a database."""

RANDOM_SEED = 20240601
REF_PREFIX = "SEED-"
LOGIN_PREFIX = "seed."
DEMO_PASSWORD = "demo"
REQUIRED_MODULES = ("sale_management", "crm", "account", "sale_stock", "sale_margin")

SIZES = {
    # teams: how many regional teams; reps: total reps (spread over teams)
    "tiny": {
        "teams": 2,
        "reps": 4,
        "customers": 20,
        "products": 20,
        "orders": 30,
        "lines": (1, 4),
        "opportunities": 30,
        "stock_ratio": 1.0,  # share of confirmed orders going through pickings
        "batch": 50,
    },
    "demo": {
        "teams": 4,
        "reps": 20,
        "customers": 300,
        "products": 150,
        "orders": 400,
        "lines": (2, 8),
        "opportunities": 500,
        "stock_ratio": 1.0,
        "batch": 100,
    },
    "bench": {
        "teams": 8,
        "reps": 200,
        "customers": 5000,
        "products": 2000,
        "orders": 12500,
        "lines": (16, 16),  # 200,000 order lines
        "opportunities": 6000,
        "stock_ratio": 0.05,
        "invoice_ratio": 0.5,  # share of invoiceable orders invoiced (time budget)
        "batch": 250,
        "bench": True,  # bench-like: no demo stories (the benchmarks make their own)
    },
}

# what grows with a size's multiple; products, lines per order and teams (REGIONS) stay
SCALED_KEYS = ("reps", "customers", "orders", "opportunities")


def scaled(size, factor):
    """The configuration of ``size`` (a name of SIZES) times ``factor``: reps, customers,
    orders and opportunities grow; ``SIZES[name] = scaled("bench", 3)`` makes it seedable."""
    cfg = dict(SIZES[size])
    for key in SCALED_KEYS:
        cfg[key] = max(1, round(cfg[key] * factor))
    return cfg


SIZES["x3"] = scaled("bench", 3)  # 600 reps, 15,000 customers, 37,500 orders x 16 lines
SIZES["x10"] = scaled("bench", 10)  # 2,000 reps, 50,000 customers, 125,000 orders x 16 lines

# Relative order volume by calendar month: the Spring Festival lull in February, quarter-end
# pushes, the October Golden Week, and the year-end push (年底冲量) that makes December the
# busiest month.
SEASONALITY = (0.9, 0.6, 1.1, 1.0, 1.0, 1.2, 0.9, 0.9, 1.2, 0.8, 1.1, 2.1)

# --------------------------------------------------------------------------------------
# Static reference data
# --------------------------------------------------------------------------------------

# (team name, language, [(city, country code, state code or None), ...])
REGIONS = [
    (
        "华东大区",
        "zh",
        [
            ("上海", "CN", "SH"),
            ("杭州", "CN", "ZJ"),
            ("南京", "CN", "JS"),
            ("苏州", "CN", "JS"),
            ("宁波", "CN", "ZJ"),
            ("合肥", "CN", "AH"),
        ],
    ),
    (
        "West Region",
        "en",
        [
            ("London", "GB", None),
            ("Frankfurt", "DE", None),
            ("New York", "US", "NY"),
            ("San Francisco", "US", "CA"),
            ("Paris", "FR", None),
            ("Amsterdam", "NL", None),
        ],
    ),
    (
        "华南大区",
        "zh",
        [
            ("深圳", "CN", "GD"),
            ("广州", "CN", "GD"),
            ("东莞", "CN", "GD"),
            ("厦门", "CN", "FJ"),
            ("佛山", "CN", "GD"),
            ("福州", "CN", "FJ"),
        ],
    ),
    (
        "华北大区",
        "zh",
        [
            ("北京", "CN", "BJ"),
            ("天津", "CN", "TJ"),
            ("青岛", "CN", "SD"),
            ("济南", "CN", "SD"),
            ("石家庄", "CN", "HE"),
            ("太原", "CN", "SX"),
        ],
    ),
    (
        "西南大区",
        "zh",
        [("成都", "CN", "SC"), ("重庆", "CN", "CQ"), ("昆明", "CN", "YN"), ("贵阳", "CN", "GZ")],
    ),
    (
        "APAC Export",
        "en",
        [
            ("Singapore", "SG", None),
            ("Tokyo", "JP", None),
            ("Sydney", "AU", None),
            ("Kuala Lumpur", "MY", None),
            ("Bangkok", "TH", None),
        ],
    ),
    (
        "华中大区",
        "zh",
        [("武汉", "CN", "HB"), ("长沙", "CN", "HN"), ("郑州", "CN", "HA"), ("南昌", "CN", "JX")],
    ),
    (
        "东北大区",
        "zh",
        [("沈阳", "CN", "LN"), ("大连", "CN", "LN"), ("哈尔滨", "CN", "HL"), ("长春", "CN", "JL")],
    ),
]

# the company that runs the Chinese demo (scripts/seed --lang zh_CN)
ZH_COMPANY = {
    "name": "上海星辰工业供应链有限公司",
    "street": "张江路88号",
    "street2": "浦东新区",
    "city": "上海",
    "zip": "201203",
    "phone": "+86 21 5080 8888",
}
# team names of the English-speaking regions in a Chinese company (scripts/seed --lang zh_CN)
ZH_TEAM_NAMES = {"West Region": "欧美大区", "APAC Export": "亚太出口部"}

ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "志强",
    "海燕",
    "建华",
    "俊杰",
    "婷婷",
    "雪梅",
    "立新",
    "文博",
    "子涵",
    "欣怡",
    "浩然",
    "宇轩",
    "思远",
    "佳琪",
    "梓萱",
]
EN_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Emma",
    "Oliver",
    "Sophie",
    "Lucas",
    "Hannah",
    "Mei",
    "Wei",
    "Kenji",
    "Aiko",
    "Raj",
    "Priya",
    "Anna",
    "Lukas",
    "Chloe",
    "Noah",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
    "Mitchell",
    "Turner",
    "Parker",
    "Evans",
    "Collins",
    "Tan",
    "Lim",
    "Tanaka",
    "Sato",
    "Müller",
    "Schmidt",
    "Dubois",
    "de Vries",
    "Nguyen",
]

ZH_BRAND_CHARS = "华润腾达恒信鼎盛瑞丰宏远金桥天成中正永安汇通嘉禾新元博雅立德凯旋泰和万隆锦程广源海纳东方长城星辰宇航创智联合卓越明辉佳兴信诚德胜国泰安达美科"  # noqa: E501
ZH_INDUSTRIES = [
    "贸易",
    "电子",
    "科技",
    "机电",
    "实业",
    "供应链",
    "工业设备",
    "信息技术",
    "自动化",
    "照明",
    "包装材料",
    "建材",
    "医疗器械",
    "物流",
    "精密制造",
    "新能源",
    "网络科技",
]
ZH_SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
EN_WORDS_A = [
    "Northwind",
    "Blue Harbor",
    "Summit",
    "Pacific",
    "Atlas",
    "Evergreen",
    "Silverline",
    "Redwood",
    "Golden Gate",
    "Crescent",
    "Horizon",
    "Ironbridge",
    "Lakeside",
    "Maple",
    "Orion",
    "Pioneer",
    "Riverside",
    "Sterling",
    "Trident",
    "Vanguard",
    "Westfield",
    "Keystone",
    "Beacon",
    "Cobalt",
    "Granite",
    "Harbor Point",
    "Meridian",
    "Nova",
    "Oakridge",
]
EN_WORDS_B = [
    "Traders",
    "Industries",
    "Electronics",
    "Supply",
    "Systems",
    "Logistics",
    "Trading",
    "Components",
    "Technologies",
    "Distribution",
    "Engineering",
    "Retail",
    "Imports",
    "Solutions",
    "Manufacturing",
    "Networks",
]
EN_SUFFIXES = ["Ltd", "Ltd", "Inc.", "LLC", "GmbH", "Pte. Ltd.", "B.V.", "Co., Ltd."]
STREETS_ZH = ["人民路", "中山路", "解放路", "建设路", "南京路", "科技园路", "工业大道", "滨江大道"]
STREETS_EN = ["High Street", "Market Street", "Station Road", "Harbour Road", "Park Avenue"]

# (category, [(base product name, unit price range)], spec variants)
CATALOG = [
    (
        "电子元器件 / Electronic Components",
        [
            ("贴片电阻 SMD Resistor", (5, 40)),
            ("铝电解电容 Capacitor", (8, 60)),
            ("MCU 微控制器 STM32", (25, 180)),
            ("工业继电器 Relay 24V", (30, 220)),
            ("电源模块 Power Module", (90, 680)),
            ("传感器 Sensor", (60, 900)),
        ],
        ["A1", "B2", "C3", "Pro", "Lite", "X", "S", "M", "L", "Plus"],
    ),
    (
        "网络设备 / Networking",
        [
            ("千兆交换机 Gigabit Switch", (600, 4800)),
            ("无线路由器 Wi-Fi Router", (300, 2600)),
            ("Cat6 网线 305m", (380, 900)),
            ("光模块 SFP", (150, 1200)),
            ("防火墙 Firewall", (3000, 26000)),
        ],
        ["8口", "16口", "24口", "48口", "10G", "PoE", "Enterprise", "SOHO"],
    ),
    (
        "办公设备 / Office Equipment",
        [
            ("激光打印机 Laser Printer", (900, 6800)),
            ("投影仪 Projector", (2200, 12000)),
            ("碎纸机 Shredder", (300, 2600)),
            ("会议平板 Meeting Board", (8000, 36000)),
            ("办公椅 Office Chair", (400, 3200)),
        ],
        ["标准版", "商务版", "旗舰版", "Compact", "Pro", "Max"],
    ),
    (
        "照明 / Lighting",
        [
            ("LED 面板灯 600x600", (80, 420)),
            ("LED 工矿灯 High Bay", (260, 1600)),
            ("LED 路灯 Street Light", (480, 3500)),
            ("应急灯 Emergency Light", (60, 380)),
        ],
        ["30W", "40W", "60W", "100W", "150W", "200W", "3000K", "6500K"],
    ),
    (
        "工业配件 / Industrial Parts",
        [
            ("深沟球轴承 Bearing", (12, 260)),
            ("气缸 Pneumatic Cylinder", (120, 980)),
            ("变频器 Inverter", (1200, 9800)),
            ("伺服电机 Servo Motor", (1800, 12000)),
            ("PLC 控制器", (2500, 18000)),
        ],
        ["0.75kW", "1.5kW", "2.2kW", "4kW", "7.5kW", "Type A", "Type B", "IP65"],
    ),
    (
        "包装材料 / Packaging",
        [
            ("瓦楞纸箱 Carton", (3, 25)),
            ("缠绕膜 Stretch Film", (25, 90)),
            ("气泡袋 Bubble Bag", (2, 18)),
            ("木托盘 Pallet", (60, 260)),
        ],
        ["小号", "中号", "大号", "加厚", "Standard", "Heavy Duty"],
    ),
]

PAYMENT_TERM_XMLIDS = [
    "account.account_payment_term_immediate",
    "account.account_payment_term_30days",
    "account.account_payment_term_30days",
    "account.account_payment_term_45days",
    "account.account_payment_term_end_following_month",
]
TERM_45_EOM = "45 Days End of Month"

# --------------------------------------------------------------------------------------
# The compliance gate (gate.py)
# --------------------------------------------------------------------------------------

# Shares of the orders confirmed through action_confirm() (``stock_ratio``) that meet the gate
# as a salesperson does: a missing customer PO number blocks the order until it is filled in;
# a discount above 10% waits for the team leader, who now and then rejects it (the rep then
# lowers the discount to 10%); orders above the GATE_LARGE_ORDER share of amounts are warned.
GATE_BLOCKED_SHARE = 0.04
GATE_REJECTED_EVERY = 6  # one discount request in six is rejected
GATE_LARGE_ORDER = 0.95  # percentile of the order amounts above which a warning is logged
GATE_PENDING_SHARE = 0.1  # the latest tenth of the discount requests (last month) still wait
GATE_PENDING_DAYS = 30
GATE_DISCOUNT = 10.0

# (key, name, message, zh_CN name, zh_CN message)
GATE_TEXTS = {
    "po": (
        "Customer PO number required",
        "{record}: enter the customer's PO number before confirming",
        "必须填写客户采购单号",
        "{record}:确认前请填写客户采购单号",
    ),
    "discount": (
        "Discount above 10%: team leader approval",
        "{record}: a line discount above 10% needs the team leader's approval",
        "折扣超过10%需团队经理审批",
        "{record}:单行折扣超过10%,需团队经理审批",
    ),
    "discount_level": ("Team leader", None, "团队经理", None),
    "large": (
        "Large order: finance is informed",
        "{record}: {value} is above {limit}; finance will check the customer's credit",
        "大额订单:通知财务",
        "{record}:金额{value}超过{limit},财务将复核客户信用",
    ),
}
GATE_COMMENTS = {
    "resolved": ("The customer sent the PO number.", "客户已补发采购单号。"),
    "approved": ("Approved: strategic customer, volume commitment.", "同意:重点客户,有量的承诺。"),
    "rejected": ("Too much: 10% at most for this customer.", "折扣过高,该客户最多10%。"),
}


# --------------------------------------------------------------------------------------
# The demo's life (life.py)
# --------------------------------------------------------------------------------------

# The demo's life after the orders (Seeder.make_demo_life): the share of the orders of the last
# LATE_MAX_AGE days whose goods are late, the competitors deals are lost to, the lessons of
# the closing summaries, and the texts of promises, activities and delays (English, Chinese).
LATE_SHARE = 0.3
LATE_MIN_AGE = 3
LATE_MAX_AGE = 30
COMPETITORS = [
    ("Huaxin Technology", "华信科技"),
    ("Everbright Industrial", "光大实业"),
    ("Pacific Components", "太平洋元器件"),
    ("Zhongke Automation", "中科自动化"),
]
CLOSING_LESSONS = {
    "en": {
        "won": [
            "Early demo at the plant convinced the engineers.",
            "We answered the tender within 48 hours; keep that pace.",
            "The framework price held because we bundled installation.",
        ],
        "lost": [
            "We quoted too late: the competitor was already in the trial.",
            "Price gap of about 8%; we had no cost-down option ready.",
            "The buyer changed and we never met the new one.",
        ],
    },
    "zh": {
        "won": [
            "现场演示说服了工程师,继续提前安排演示。",
            "48小时内回复招标,保持这个速度。",
            "捆绑安装服务,守住了框架价格。",
        ],
        "lost": [
            "报价太晚,竞争对手已在试用。",
            "价格差约8%,没有准备降本方案。",
            "采购负责人更换后一直没有拜访新负责人。",
        ],
    },
}
LIFE_TEXTS = {
    "promise": ("Finance will pay after the month-end closing.", "财务月结后付款。"),
    "delay": ("Supplier shipment arrived late at the warehouse.", "供应商到货延误。"),
    "call": ("Confirm the order quantities", "确认订单数量"),
    "quote": ("Send the revised quotation", "发送修改后的报价"),
    "visit": ("Visit the purchasing manager", "拜访采购经理"),
    "visited": ("Met the buyer; trial order next month.", "已拜访采购,下月试单。"),
}

# The contracts' texts (contracts.py), in English and in Chinese.
CONTRACT_TEXTS = {
    "one_off": ("Supply contract", "供货合同"),
    "annual": ("Annual supply contract", "年度供货合同"),
    "framework": ("Framework purchase agreement", "框架采购协议"),
    "delivery": (
        "Delivery to the customer's warehouse within 15 days of each order, freight paid.",
        "每笔订单15日内送达客户仓库,运费由我方承担。",
    ),
    "approved": ("Terms checked, approved.", "条款已审核,同意。"),
    "change": (
        "The customer extends the supply by six months and adds a product.",
        "客户延长供货六个月并增加一个产品。",
    ),
    "termination": (
        "The customer's project is cancelled: terminated by mutual agreement.",
        "客户项目取消,双方协商解除合同。",
    ),
}
