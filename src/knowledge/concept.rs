//! The concepts the lexicons name and the concept rules combine (one vocabulary for both).

/// The concepts of the lexicons (see `data/lexicon/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Concept {
    /// A hand-over verb that needs a recipient or an imperative position ("send", 发给).
    Request,
    /// A request directed at the sender by itself ("send me", "what's your", 教えて).
    Ask,
    /// Something support never asks for (a one-time code, a PIN, a recovery phrase).
    Secret,
    /// The sender as recipient, after the verb ("me", 我).
    ToUs,
    /// The sender as recipient, before the verb (Hindi "mujhe", Japanese 私に).
    ToUsBefore,
    /// Politeness or pressure words that may open an imperative ("please", 请).
    Please,
    /// A negation ("never", 请勿, 절대).
    Negator,
    /// Reported speech about a scam ("the scammer told her to", 骗子让): what follows in
    /// the clause is a story, not a request to the reader.
    Reported,
    /// A code that is no secret ("promo code", "zip code"): the secret "code" inside it
    /// does not count.
    OtherCode,
    /// A word that contains a concept term but means something else (支付宝 holds the pay
    /// term 支付): the terms inside it do not count.
    Mask,
    /// An entry verb ("enter", 输入): how real services tell you to use a code yourself.
    Enter,
    /// How scammers want to be paid: gift cards, crypto, wire services, crypto ATMs.
    PaymentInstrument,
    /// Moving money: transfer, deposit, withdraw (转账, 汇款).
    MoneyMovement,
    /// The "safe account" story (安全账户, "secure account").
    SafeAccount,
    /// Paying or buying (pay, buy, 支付, 充值).
    Pay,
    /// A fee, deposit, tax or fine demanded (解冻费, "release fee").
    Fee,
    /// What a payment is said to unlock, or collecting a windfall (unfreeze, claim, 提现).
    Release,
    /// Prizes and windfalls ("you have won", 中奖).
    Prize,
    /// Perks that honest shops hand out too (bonus, cashback, giveaway): a second sign of a
    /// prize story, never the only one.
    Perk,
    /// Police, courts, tax offices, customs (公安, 检察院).
    Authority,
    /// Keeping it secret from the bank or family (保密).
    Secrecy,
    /// Pressure to act now (immediately, 立即).
    Urgency,
    /// An account or service about to be blocked (suspended, 冻结).
    AccountThreat,
    /// Moving the talk to another app (加微信, WhatsApp, "download the app").
    ChannelSwitch,
    /// A remote-access or screen-sharing tool (AnyDesk, TeamViewer, 屏幕共享, 画面共有).
    RemoteTool,
    /// What tells the reader to set up a tool: install, download, open and allow verbs in
    /// their imperative and request forms, please-words and obligations ("install", "laden
    /// Sie", "you need to", "tem de", 装个, インストールしてください).
    Instruct,
    /// Telling the reader to call or contact (call, 致电).
    ContactPrompt,
    /// A pronoun that stands for something named before, as the object of a request
    /// ("forward it to me", 把它发给我).
    Pronoun,
    /// Disowning a transaction ("if you did not place this order", 如非本人操作).
    Disown,
    /// An order, charge, payment or subscription renewal (订单, 扣款).
    Charge,
    /// The sender's new number, or the broken or lost phone that explains it ("this is my
    /// new number", 我换号了): how a stranger poses as family.
    NewNumber,
    /// A relative or friend in trouble that money is said to get them out of: arrested, in
    /// jail, in an accident, in hospital, stranded abroad ("I'm in jail and need bail",
    /// 出车祸了, 事故を起こした): the family-emergency ("grandparent") scam.
    Emergency,
    /// A person-to-person payment app (Cash App, Venmo, Zelle): ordinary between friends, a
    /// scam sign when a fine, a fee or a threatened service is to be paid through it.
    PaymentApp,
    /// An offer of work or income ("part-time job", "work from home", 兼职, 副業): the
    /// job and task scams' opening, ordinary in real job ads too.
    Job,
    /// The task scam's tasks: liking videos, rating hotels, completing "orders" (点赞, 刷单).
    Task,
    /// Pay counted by the day or task, commissions, or a daily income ("per day", 日结, 佣金).
    Earnings,
    /// Pay counted by the hour ("per hour", "pro Stunde"): ordinary in honest job ads, so a
    /// sign only beside one of the task scam's own tasks.
    Hourly,
    /// The promise that the work is easy: no experience, a phone is all it takes, a few
    /// minutes a day (无需经验, 动动手指).
    Easy,
    /// Money said to be coming to the reader, in a purpose phrase ("to receive the payment",
    /// 才能收款): the fake buyer's opening, since receiving money never needs the reader's
    /// card details or a fee.
    Payout,
    /// Money said to have reached the reader by mistake or in excess ("I sent you $300 by
    /// mistake", "you were overpaid", 转错账, salah transfer): the mistaken-payment scam's
    /// opening.
    MistakenPayment,
    /// A contrast that turns back to the speaker's own words ("but", 但是, pero, aber): a
    /// reported-speech marker in front of it does not reach past it ("There are many
    /// scammers, but send me the code").
    Contrast,
    /// Giving money back ("send it back", "refund the difference", 退回, devolver,
    /// kembalikan): what the mistaken-payment scam asks for.
    GiveBack,
}

impl Concept {
    /// The concept a lexicon or rule file names.
    pub(crate) fn from_name(name: &str) -> Option<Concept> {
        Some(match name {
            "request" => Concept::Request,
            "ask" => Concept::Ask,
            "secret" => Concept::Secret,
            "to_us" => Concept::ToUs,
            "to_us_before" => Concept::ToUsBefore,
            "please" => Concept::Please,
            "negator" => Concept::Negator,
            "reported" => Concept::Reported,
            "other_code" => Concept::OtherCode,
            "enter" => Concept::Enter,
            "mask" => Concept::Mask,
            "payment_instrument" => Concept::PaymentInstrument,
            "money_movement" => Concept::MoneyMovement,
            "safe_account" => Concept::SafeAccount,
            "pay" => Concept::Pay,
            "fee" => Concept::Fee,
            "release" => Concept::Release,
            "prize" => Concept::Prize,
            "perk" => Concept::Perk,
            "authority" => Concept::Authority,
            "secrecy" => Concept::Secrecy,
            "urgency" => Concept::Urgency,
            "account_threat" => Concept::AccountThreat,
            "channel_switch" => Concept::ChannelSwitch,
            "remote_tool" => Concept::RemoteTool,
            "instruct" => Concept::Instruct,
            "contact_prompt" => Concept::ContactPrompt,
            "pronoun" => Concept::Pronoun,
            "disown" => Concept::Disown,
            "charge" => Concept::Charge,
            "new_number" => Concept::NewNumber,
            "emergency" => Concept::Emergency,
            "payment_app" => Concept::PaymentApp,
            "payout" => Concept::Payout,
            "mistaken_payment" => Concept::MistakenPayment,
            "give_back" => Concept::GiveBack,
            "contrast" => Concept::Contrast,
            "job" => Concept::Job,
            "task" => Concept::Task,
            "earnings" => Concept::Earnings,
            "easy" => Concept::Easy,
            "hourly" => Concept::Hourly,
            _ => return None,
        })
    }

    /// Whether the concept cancels what follows it in its clause (a negation, or a story
    /// about a scam told by somebody else).
    pub(crate) fn cancels(self) -> bool {
        matches!(self, Concept::Negator | Concept::Reported)
    }
}
