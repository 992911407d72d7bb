//! Who and where: agents, bots, departments, places, browsers and visitor names (including the
//! awkward ones: other scripts, right-to-left, emoji and hostile terminal escapes).

/// Agents as Comm100 shows them; the first four are the awkward real-world shapes (colon, dash,
/// parentheses) that transcript parsing must split correctly.
#[rustfmt::skip]
pub const AGENTS: &[&str] = &[
    "Walid", "PT: Jason", "Henry - Comm100", "Francis - Comm100 ( Training )", "Amelia", "Noah",
    "Priya", "Mateo", "Chloe", "Kenji", "Sofia", "Liam", "Aisha", "Lucas", "Emma", "Omar", "Zoe",
    "Ethan", "Nadia", "Diego", "Hannah", "Ravi", "Grace", "Tomás",
];

/// The agent's e-mail: Walid keeps the vendor sample's address, the others a derived one.
pub fn agent_email(index: usize) -> String {
    if index == 0 {
        return "walidr3157@gmail.com".to_string();
    }
    let local: String = AGENTS[index]
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty() && *w != "PT")
        .unwrap_or("agent")
        .to_lowercase();
    format!("{local}@example-support.com")
}

pub const BOTS: &[&str] = &["Comm100 Bot", "Ava (Virtual Agent)"];

/// (name, numeric id)
pub const DEPTS: &[(&str, i64)] = &[
    ("Support", 1165),
    ("Sales", 1166),
    ("Billing", 1167),
    ("Technical Support", 1170),
    ("Onboarding", 1172),
    ("Returns & Exchanges", 1175),
    ("Enterprise", 1180),
    ("Partnerships", 1184),
];

/// A place: country, state, city, time zone label, language, first two IP octets.
pub struct Place {
    pub country: &'static str,
    pub state: &'static str,
    pub city: &'static str,
    pub tz: &'static str,
    pub lang: &'static str,
    pub ip: &'static str,
}

macro_rules! place {
    ($c:expr, $s:expr, $city:expr, $tz:expr, $l:expr, $ip:expr) => {
        Place {
            country: $c,
            state: $s,
            city: $city,
            tz: $tz,
            lang: $l,
            ip: $ip,
        }
    };
}

#[rustfmt::skip]
pub const PLACES: &[Place] = &[
    place!("Canada", "Ontario", "Toronto", "GMT -05:00", "en-US", "196.247"),
    place!("United States", "California", "San Francisco", "GMT -08:00", "en-US", "73.158"),
    place!("United States", "New York", "New York", "GMT -05:00", "en-US", "68.174"),
    place!("United States", "Texas", "Austin", "GMT -06:00", "en-US", "99.61"),
    place!("United Kingdom", "England", "London", "GMT +00:00", "en-GB", "81.2"),
    place!("Germany", "Berlin", "Berlin", "GMT +01:00", "de-DE", "91.64"),
    place!("France", "Île-de-France", "Paris", "GMT +01:00", "fr-FR", "90.84"),
    place!("Japan", "Tokyo", "Tokyo", "GMT +09:00", "ja-JP", "126.72"),
    place!("China", "Shanghai", "Shanghai", "GMT +08:00", "zh-CN", "101.88"),
    place!("Bangladesh", "Dhaka", "Dhaka", "GMT +06:00", "bn-BD", "103.4"),
    place!("Brazil", "São Paulo", "São Paulo", "GMT -03:00", "pt-BR", "177.33"),
    place!("Australia", "New South Wales", "Sydney", "GMT +10:00", "en-AU", "110.174"),
    place!("India", "Maharashtra", "Mumbai", "GMT +05:30", "en-IN", "49.36"),
    place!("Egypt", "Cairo", "Cairo", "GMT +02:00", "ar-EG", "41.34"),
    place!("Israel", "Tel Aviv", "Tel Aviv", "GMT +02:00", "he-IL", "79.179"),
    place!("South Korea", "Seoul", "Seoul", "GMT +09:00", "ko-KR", "211.36"),
    place!("Mexico", "Ciudad de México", "Mexico City", "GMT -06:00", "es-MX", "187.190"),
    place!("Spain", "Madrid", "Madrid", "GMT +01:00", "es-ES", "83.45"),
    place!("Nigeria", "Lagos", "Lagos", "GMT +01:00", "en-NG", "105.112"),
    place!("China", "Beijing", "Beijing", "GMT +08:00", "zh-CN", "123.112"),
    place!("Japan", "Osaka", "Osaka", "GMT +09:00", "ja-JP", "153.156"),
    place!("Vietnam", "Hanoi", "Hanoi", "GMT +07:00", "vi-VN", "113.160"),
    place!("Russia", "Moscow", "Moscow", "GMT +03:00", "ru-RU", "95.24"),
    place!("United Arab Emirates", "Dubai", "Dubai", "GMT +04:00", "ar-AE", "94.200"),
    place!("Denmark", "Capital Region", "Copenhagen", "GMT +01:00", "da-DK", "87.49"),
    place!("Italy", "Lombardy", "Milan", "GMT +01:00", "it-IT", "93.44"),
    place!("Sweden", "Stockholm", "Stockholm", "GMT +01:00", "sv-SE", "81.224"),
    place!("Ireland", "Leinster", "Dublin", "GMT +00:00", "en-IE", "86.44"),
    place!("Ghana", "Greater Accra", "Accra", "GMT +00:00", "en-GH", "154.160"),
    place!("", "", "", "GMT +00:00", "en-US", "10.0"),
];

pub const BROWSERS: &[&str] = &[
    "Google Chrome 80.0.3987.132",
    "Google Chrome 131.0.6778.86",
    "Google Chrome 130.0.6723.117",
    "Mozilla Firefox 133.0",
    "Safari 18.1",
    "Microsoft Edge 131.0.2903.70",
    "Opera 114.0.5282.102",
    "Samsung Internet 26.0",
    "Chrome Mobile 130.0.6723.107",
];

pub const OSES: &[&str] = &[
    "Windows 10",
    "Windows 11",
    "Mac OS X 10.15",
    "macOS 14",
    "iOS 18.1",
    "Android 14",
    "Linux",
    "Chrome OS",
];

pub const SCREENS: &[&str] = &[
    "1536x864",
    "1920x1080",
    "1366x768",
    "2560x1440",
    "390x844",
    "412x915",
    "1440x900",
];

/// Visitors with where they live: a prefix of the `lang` of the places they may write from
/// (`en` is any English-speaking place, `en-IE` Ireland only).
#[rustfmt::skip]
pub const VISITORS: &[(&str, &str)] = &[
    ("testName", "en"), ("John Smith", "en"), ("Maria Garcia", "en"), ("Wei Chen", "en"),
    ("Olivia Brown", "en"), ("James Wilson", "en"), ("Sarah Johnson", "en"),
    ("Michael Lee", "en"), ("Emily Davis", "en"), ("Daniel Martinez", "en"),
    ("Jessica Taylor", "en"), ("David Anderson", "en"), ("Laura Thomas", "en"),
    ("Robert Jackson", "en"), ("Linda White", "en"), ("Kevin Harris", "en"),
    ("Ashley Martin", "en"), ("Brian Thompson", "en"), ("Megan Moore", "en"),
    ("Jason Clark", "en"), ("Rachel Lewis", "en"), ("Steven Walker", "en"), ("Nicole Hall", "en"),
    ("Andrew Allen", "en"), ("Samantha Young", "en"), ("Paul King", "en"), ("Karen Wright", "en"),
    ("Mark Scott", "en"), ("Lisa Green", "en"), ("Henry", "en"), ("jay", "en"),
    ("Anna-Lena Müller", "de"), ("Pierre Dupont", "fr"), ("Giulia Rossi", "it"),
    ("Lars Johansson", "sv"), ("Aoife O'Brien", "en-IE"), ("Kofi Mensah", "en-GH"), ("Mia", "en"),
];

/// Names in other scripts (CJK, Hangul, Arabic and Hebrew right to left, emoji, combining
/// marks), with where they live, as in [`VISITORS`].
#[rustfmt::skip]
pub const INTL_VISITORS: &[(&str, &str)] = &[
    ("王小明", "zh"), ("李娜", "zh"), ("佐藤 花子", "ja"), ("田中太郎", "ja"), ("김민준", "ko"),
    ("Nguyễn Văn An", "vi"), ("محمد الأحمد", "ar"), ("فاطمة", "ar"), ("יעל כהן", "he"),
    ("דוד לוי", "he"), ("Ana 🌸", "en"), ("🦀 Ferris", "en"), ("Zoë 😀", "en"),
    ("Ольга Иванова", "ru"), ("Søren Ødegård", "da"), ("José Álvarez", "es"),
];

/// Where a visitor named `name` lives (see [`VISITORS`]); anyone else is English-speaking.
pub fn home_of(name: &str) -> &'static str {
    VISITORS
        .iter()
        .chain(INTL_VISITORS)
        .find(|(n, _)| *n == name)
        .map_or("en", |(_, home)| home)
}

/// A place for someone who lives in `home`; `anywhere` also allows the place with no location.
pub fn place_for(rng: &mut crate::rng::Rng, home: &str, anywhere: bool) -> &'static Place {
    if anywhere {
        return rng.pick(PLACES);
    }
    let fits = |p: &&Place| !p.country.is_empty() && p.lang.starts_with(home);
    let n = PLACES.iter().filter(fits).count() as u64;
    PLACES
        .iter()
        .filter(fits)
        .nth(rng.below(n.max(1)) as usize)
        .unwrap_or(&PLACES[0])
}

/// Visitor names an attacker might type: OSC title set, screen clear, bidi override, colours,
/// bells, C1 CSI, a colon that mimics a speaker, zalgo.
pub const HOSTILE_VISITORS: &[&str] = &[
    "\u{1b}]0;pwned\u{7}Mallory",
    "\u{1b}[2J\u{1b}[HEve",
    "Bob\u{202e}gnp.exe",
    "\u{1b}[31mRed Alert\u{1b}[0m",
    "Trudy\u{7}\u{7}\u{7}",
    "Oscar: admin",
    "\u{9b}6nCarol",
    "Z\u{337}a\u{338}l\u{335}g\u{336}o",
];

pub const REFERRERS: &[&str] = &[
    "https://www.google.com/",
    "https://www.bing.com/",
    "",
    "https://news.ycombinator.com/",
    "https://ent1portal.comm100.com/livechat/agentconsole.aspx?siteId=1000298&v=9.1.2",
];

pub const PAGES: &[&str] = &[
    "https://shop.example.com/",
    "https://shop.example.com/pricing",
    "https://shop.example.com/help/returns",
    "https://shop.example.com/account/login",
    "https://shop.example.com/checkout?step=2",
];
