//! Chats in the visitor's own language, answered in it (the site routes them to an agent who
//! speaks it). A visitor writes one of these only when the place the chat comes from speaks it.

use crate::talk::Talk;
use crate::topics::Outcome;

/// The same arc as an English chat, from the agent's question on, in the script's language.
pub fn converse(talk: &mut Talk, s: &'static Script) {
    talk.say_agent(s.ask, 5, 40);
    talk.say_visitor(s.answer, 5, 70);
    match talk.outcome() {
        Outcome::Solved => {
            talk.say_agent(s.fix, 20, 120);
            talk.say_visitor(s.fixed, 10, 60);
            talk.say_visitor(s.done, 3, 20);
            talk.say_agent(s.bye, 3, 20);
        }
        Outcome::FollowUp => {
            talk.say_agent(s.escalate, 20, 120);
            talk.say_visitor(s.wait_ok, 10, 60);
            talk.say_agent(s.bye, 3, 20);
        }
        Outcome::Failed => {
            talk.say_agent(s.fix, 20, 120);
            talk.say_visitor(s.unhappy, 30, 120);
            talk.say_agent(s.escalate, 20, 90);
        }
    }
    talk.visitor_leaves();
}

/// One short conversation in one language. `topic` is the index of the English topic it is about
/// (its department, wrap-up and bot menu entry).
pub struct Script {
    /// The language prefix of a place's `lang` (`zh` for `zh-CN`).
    pub lang: &'static str,
    pub topic: usize,
    pub greet: &'static str,
    pub open: &'static [&'static str],
    pub ask: &'static str,
    pub answer: &'static str,
    pub fix: &'static str,
    pub fixed: &'static str,
    pub escalate: &'static str,
    pub wait_ok: &'static str,
    pub unhappy: &'static str,
    pub done: &'static str,
    pub bye: &'static str,
    pub praise: &'static str,
    pub complaint: &'static str,
}

/// The script for a place's language tag, if there is one.
pub fn script_for(lang_tag: &str) -> Option<&'static Script> {
    let prefix = lang_tag.split(['-', '_']).next()?;
    SCRIPTS.iter().find(|s| s.lang == prefix)
}

pub const SCRIPTS: &[Script] = &[
    Script {
        lang: "zh",
        topic: 0,
        greet: "您好{v}，我是{a}，很高兴为您服务。请问有什么可以帮您？",
        open: &["你好，我的订单还没有到。订单号是 {o}。", "您好，我上周下的订单 {o} 到现在还没收到。"],
        ask: "抱歉让您久等了。麻烦确认一下收货地址和手机号码，好吗？",
        answer: "地址没变，还是账户里那个，手机号是 138 0013 8000。",
        fix: "查到了：订单 {o} 周一已经发货，快递显示明天下午六点前送达。",
        fixed: "太好了，谢谢！",
        escalate: "物流信息已经八天没有更新了，我已经向快递公司提交了调查（工单号 {t}），两个工作日内会发邮件给您。",
        wait_ok: "好的，我等你们的邮件。",
        unhappy: "已经等了这么久，还是没有结果。",
        done: "没有了，谢谢，再见！",
        bye: "感谢您的耐心，祝您生活愉快！",
        praise: "客服很耐心，谢谢！",
        complaint: "等了太久，问题还没解决。",
    },
    Script {
        lang: "ja",
        topic: 5,
        greet: "{v}様、お問い合わせありがとうございます。担当の{a}です。ご用件をお聞かせください。",
        open: &["注文番号 {o} のジャケットが小さかったので、交換をお願いしたいです。", "注文 {o} の靴を一つ大きいサイズに交換できますか？"],
        ask: "かしこまりました。返金と別のサイズへの交換、どちらをご希望ですか？",
        answer: "一つ大きいサイズに交換してください。",
        fix: "在庫がございましたので、交換の手続きをいたしました。返送用のラベルをメールでお送りしましたので、ご確認ください。",
        fixed: "ありがとうございます！😊",
        escalate: "申し訳ございません、そのサイズは在庫切れのため、全額返金の手続きをいたしました（チケット番号 {t}）。",
        wait_ok: "わかりました。メールを待っています。",
        unhappy: "そうですか…残念です。",
        done: "以上です。ありがとうございました。",
        bye: "ご利用ありがとうございました。失礼いたします。",
        praise: "とても丁寧な対応でした。",
        complaint: "時間がかかりすぎました。",
    },
    Script {
        lang: "ko",
        topic: 1,
        greet: "안녕하세요 {v}님, 상담원 {a}입니다. 무엇을 도와드릴까요?",
        open: &["안녕하세요, 결제 문제가 있어요. 이번 달에 두 번 청구됐어요.", "카드에서 같은 금액이 두 번 빠져나갔어요."],
        ask: "불편을 드려 죄송합니다. 카드 끝 네 자리를 알려주시겠어요?",
        answer: "4417입니다.",
        fix: "확인했습니다. 중복 결제는 환불 처리했으며, 카드사에 따라 3~5 영업일 정도 걸립니다.",
        fixed: "감사합니다, 다행이네요.",
        escalate: "저희 쪽에는 결제가 한 번만 보여서 결제팀에 확인을 요청했습니다 (티켓 번호 {t}). 하루 안에 이메일로 연락드리겠습니다.",
        wait_ok: "네, 이메일 기다릴게요.",
        unhappy: "아직도 해결이 안 됐네요.",
        done: "아니요, 그게 다예요. 감사합니다!",
        bye: "이용해 주셔서 감사합니다. 좋은 하루 되세요!",
        praise: "빠르고 친절했어요.",
        complaint: "너무 오래 걸렸어요.",
    },
    Script {
        lang: "vi",
        topic: 2,
        greet: "Xin chào {v}, tôi là {a}. Tôi có thể giúp gì cho bạn?",
        open: &["Xin chào, tôi cần hỗ trợ về tài khoản. Tôi không đăng nhập được.", "Tôi không vào được tài khoản, nó báo \"invalid token\"."],
        ask: "Lỗi này xảy ra trên mọi trình duyệt hay chỉ một trình duyệt thôi?",
        answer: "Chỉ trên Chrome thôi, Firefox thì vẫn được.",
        fix: "Đó là do cookie phiên cũ. Bạn hãy xóa cookie của shop.example.com rồi đăng nhập lại nhé.",
        fixed: "Được rồi, cảm ơn bạn nhiều!",
        escalate: "Tôi đã chuyển vấn đề này cho đội kỹ thuật (mã yêu cầu {t}). Họ sẽ gửi email cho bạn khi sửa xong.",
        wait_ok: "Vâng, tôi sẽ chờ email.",
        unhappy: "Vẫn không được. Tôi thử lại sau vậy.",
        done: "Không, vậy là đủ rồi. Cảm ơn!",
        bye: "Cảm ơn bạn đã liên hệ. Chúc bạn một ngày tốt lành!",
        praise: "Hỗ trợ nhanh, cảm ơn!",
        complaint: "Vẫn chưa đăng nhập được.",
    },
    Script {
        lang: "ar",
        topic: 7,
        greet: "مرحبا {v}، معك {a}. كيف يمكنني مساعدتك؟",
        open: &["مرحبا، لدي مشكلة في الفاتورة رقم {i}", "الرقم الضريبي في الفاتورة {i} غير صحيح."],
        ask: "آسف على ذلك! ما هي البيانات الصحيحة؟",
        answer: "الرقم الضريبي الصحيح هو 300123456700003 باسم شركة النور.",
        fix: "تم تصحيح البيانات وإعادة إصدار الفاتورة {i}. ستجدها في حسابك ضمن الفواتير.",
        fixed: "شكرا جزيلا، كل شيء صحيح الآن.",
        escalate: "لا يمكن تعديل فواتير الربع المغلق إلا من قسم المالية، وقد أرسلت لهم الطلب (رقم التذكرة {t}).",
        wait_ok: "حسنا، سأنتظر ردكم.",
        unhappy: "ما زالت الفاتورة خاطئة.",
        done: "لا، هذا كل شيء. شكرا!",
        bye: "شكرا لتواصلك معنا، يوما سعيدا!",
        praise: "خدمة ممتازة، شكرا.",
        complaint: "استغرق الأمر وقتا طويلا.",
    },
    Script {
        lang: "he",
        topic: 0,
        greet: "שלום {v}, כאן {a}. איך אפשר לעזור?",
        open: &["שלום, ההזמנה שלי לא הגיעה 📦 מספר הזמנה {o}", "הזמנתי לפני עשרה ימים ועדיין לא קיבלתי. הזמנה {o}."],
        ask: "מצטער לשמוע. אפשר לאשר את כתובת המשלוח?",
        answer: "הכתובת שבחשבון שלי, לא השתנה כלום.",
        fix: "תודה. ההזמנה {o} נשלחה ביום שני ולפי המעקב תגיע מחר עד השעה 18:00.",
        fixed: "מעולה, תודה רבה!",
        escalate: "המעקב לא התעדכן שמונה ימים, אז פתחתי בירור מול חברת השילוח (פנייה {t}). אם החבילה אבדה, נשלח חדשה ללא עלות.",
        wait_ok: "בסדר, אחכה לעדכון.",
        unhappy: "זה לוקח יותר מדי זמן.",
        done: "לא, זה הכול. תודה!",
        bye: "תודה שפנית אלינו, יום טוב!",
        praise: "שירות מהיר ואדיב.",
        complaint: "החבילה עדיין לא הגיעה.",
    },
    Script {
        lang: "ru",
        topic: 2,
        greet: "Здравствуйте, {v}! Меня зовут {a}. Чем могу помочь?",
        open: &["Здравствуйте, не могу войти в аккаунт: пишет \"invalid token\".", "Не получается войти в личный кабинет со вчерашнего дня."],
        ask: "Это происходит во всех браузерах или только в одном?",
        answer: "Только в Chrome, в Firefox всё работает.",
        fix: "Это старый cookie сессии. Очистите cookie для shop.example.com и войдите снова.",
        fixed: "Получилось, спасибо!",
        escalate: "Я передал вопрос нашим инженерам (заявка {t}). Они напишут вам, как только всё исправят.",
        wait_ok: "Хорошо, буду ждать письма.",
        unhappy: "Всё равно не работает.",
        done: "Нет, это всё. Спасибо, всё понятно.",
        bye: "Спасибо за обращение, хорошего дня!",
        praise: "Быстро и вежливо, спасибо.",
        complaint: "Проблема так и не решена.",
    },
    Script {
        lang: "es",
        topic: 9,
        greet: "¡Hola, {v}! Soy {a}. ¿En qué puedo ayudarte?",
        open: &["Hola, ¿hacen envíos a mi país? ¿Cuánto tarda la entrega?", "Buenas, ¿puedo pedir desde aquí o solo envían a Estados Unidos?"],
        ask: "¡Claro que sí! ¿Es para la dirección que tienes en tu cuenta?",
        answer: "Sí, la misma de siempre.",
        fix: "Perfecto: la entrega tarda de 5 a 9 días hábiles y cuesta 12 $; los pedidos de más de 150 $ tienen envío gratis.",
        fixed: "¡Genial, hago el pedido hoy mismo!",
        escalate: "Algunos productos todavía no se pueden enviar allí; he preguntado al equipo de logística cuáles (ticket {t}).",
        wait_ok: "De acuerdo, espero el correo.",
        unhappy: "Qué lástima, esperaba poder pedirlo ya.",
        done: "No, eso es todo. ¡Gracias!",
        bye: "¡Gracias por escribirnos, que tengas un buen día!",
        praise: "Muy amable, gracias.",
        complaint: "Demasiada espera.",
    },
    Script {
        lang: "de",
        topic: 1,
        greet: "Hallo {v}, hier ist {a}. Wie kann ich Ihnen helfen?",
        open: &["Hallo, mir wurde diesen Monat zweimal abgebucht.", "Warum sehe ich zwei Abbuchungen über 29 $ auf meiner Karte?"],
        ask: "Das tut mir leid. Können Sie mir die letzten vier Ziffern der Karte nennen?",
        answer: "Die Karte endet auf 4417.",
        fix: "Ich sehe beide Abbuchungen. Die doppelte habe ich erstattet; das Geld ist in 3 bis 5 Werktagen wieder auf Ihrer Karte.",
        fixed: "Danke, da bin ich erleichtert.",
        escalate: "Bei uns ist nur eine Abbuchung zu sehen. Ich habe unser Zahlungsteam gebeten, die zweite mit der Bank zu klären (Ticket {t}).",
        wait_ok: "Gut, ich warte auf Ihre E-Mail.",
        unhappy: "Das ist ärgerlich, ich brauche das Geld.",
        done: "Nein, das war alles. Vielen Dank!",
        bye: "Danke für Ihre Nachricht und einen schönen Tag noch!",
        praise: "Schnell und freundlich.",
        complaint: "Hat viel zu lange gedauert.",
    },
    Script {
        lang: "fr",
        topic: 5,
        greet: "Bonjour {v}, ici {a}. Comment puis-je vous aider ?",
        open: &["Bonjour, je voudrais échanger la veste de la commande {o}, elle est trop petite.", "Puis-je échanger les baskets de la commande {o} contre une taille au-dessus ?"],
        ask: "Bien sûr. Préférez-vous un remboursement ou une autre taille ?",
        answer: "Une taille au-dessus, s'il vous plaît.",
        fix: "La taille au-dessus est en stock. J'ai créé l'échange et vous ai envoyé une étiquette de retour prépayée par e-mail.",
        fixed: "Parfait, je dépose le colis demain.",
        escalate: "Cette taille est épuisée : j'ai donc lancé un remboursement complet (ticket {t}).",
        wait_ok: "D'accord, merci.",
        unhappy: "Dommage, c'était un cadeau.",
        done: "Non, c'est tout. Merci beaucoup !",
        bye: "Merci de nous avoir contactés, bonne journée !",
        praise: "Très efficace, merci !",
        complaint: "Trop d'attente.",
    },
];
