/* The family diary page: finds and decrypts one family's bundle with its code, then draws it.
   No network requests: the bundle is a local script file next to this page. */
(function () {
  "use strict";
  var ALPHABET = "23456789ACDEFHJKMNPRTUVWXY";
  var LOOK = {"А": "A", "Е": "E", "К": "K", "М": "M", "Н": "H", "Р": "P", "С": "C", "Т": "T",
              "Х": "X", "У": "Y", "З": "3", "Ё": "E"};
  var REASON = {"Б": "по болезни", "У": "по уважительной причине", "Н": "без уважительной причины",
                "О": "опоздание"};
  var WEEKDAYS = ["", "Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"];
  var KIND_SHORT = {
    "ответ на уроке": "ответ", "домашняя работа": "дом. раб.", "практическая работа": "практ.",
    "самостоятельная работа": "самост.", "диктант": "диктант", "сочинение / изложение": "сочин.",
    "лабораторная работа": "лаб.", "проверочная работа": "провер.", "контрольная работа": "контр."
  };
  var meta = JSON.parse(document.getElementById("meta").textContent);
  var pending = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) { return; }
        if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      if (Array.isArray(child)) {
        child.forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
      } else {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function normalise(typed) {
    var out = "";
    var text = typed.toUpperCase();
    for (var i = 0; i < text.length; i++) {
      var ch = LOOK[text[i]] || text[i];
      if (ALPHABET.indexOf(ch) >= 0) { out += ch; }
    }
    return out;
  }

  function hexToBytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }

  function bytesToHex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  function b64ToBytes(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function say(text) {
    var box = $("message");
    box.textContent = text;
    box.hidden = !text;
  }

  function dateRu(iso) { return iso.slice(8, 10) + "." + iso.slice(5, 7) + "." + iso.slice(0, 4); }
  function dayRu(iso) { return iso.slice(8, 10) + "." + iso.slice(5, 7); }
  function num(x) { return x === null || x === undefined ? "—" : x.toFixed(2).replace(".", ","); }
  function isoOf(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function weekday(iso) { var d = new Date(iso + "T12:00:00"); return d.getDay() === 0 ? 7 : d.getDay(); }
  function kindShort(kind) { var k = kind.toLowerCase(); return KIND_SHORT[k] || k; }
  function plural(n, forms) {
    var a = n % 10, b = n % 100;
    if (a === 1 && b !== 11) { return n + " " + forms[0]; }
    if (a >= 2 && a <= 4 && (b < 10 || b >= 20)) { return n + " " + forms[1]; }
    return n + " " + forms[2];
  }

  /* --- finding and opening the bundle --------------------------------------------------- */

  async function secretOf(code) {
    var enc = new TextEncoder();
    var base = await crypto.subtle.importKey("raw", enc.encode(code), "PBKDF2", false, ["deriveBits"]);
    var bits = await crypto.subtle.deriveBits(
      {name: "PBKDF2", hash: "SHA-256", salt: hexToBytes(meta.salt), iterations: meta.iterations}, base, 256);
    return new Uint8Array(bits);
  }

  async function nameOf(secret) {
    var key = await crypto.subtle.importKey("raw", secret, {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
    var mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("diary-name"));
    return bytesToHex(new Uint8Array(mac)).slice(0, 32);
  }

  function loadBundle(name) {
    return new Promise(function (resolve) {
      pending = {name: name, resolve: resolve};
      var script = document.createElement("script");
      script.src = "d/" + name + ".js";
      script.onerror = function () { if (pending && pending.name === name) { pending = null; resolve(null); } };
      document.head.appendChild(script);
    });
  }

  window.diaryBundle = function (name, sealed) {
    if (pending && pending.name === name) { var p = pending; pending = null; p.resolve(sealed); }
  };

  async function openBundle(secret, name, sealed) {
    var base = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
    var key = await crypto.subtle.deriveKey(
      {name: "HKDF", hash: "SHA-256", salt: b64ToBytes(sealed.s), info: new TextEncoder().encode("diary-key")},
      base, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
    var plain = await crypto.subtle.decrypt(
      {name: "AES-GCM", iv: b64ToBytes(sealed.n), additionalData: new TextEncoder().encode(name)},
      key, b64ToBytes(sealed.c));
    return JSON.parse(new TextDecoder().decode(plain));
  }

  var WRONG = "Код не подошёл. Проверьте его по листку от классного руководителя (12 знаков, " +
    "например K7MX-3PRT-9HWA). Если код выдали заново, старый больше не действует.";

  async function submit(event) {
    if (event) { event.preventDefault(); }
    var code = normalise($("code").value);
    if (code.length !== 12) {
      say("В коде должно быть 12 знаков — латинские буквы и цифры, например K7MX-3PRT-9HWA. Сейчас набрано " +
          code.length + ". Проверьте код по листку.");
      return;
    }
    if (!window.crypto || !crypto.subtle) {
      say("Этот браузер не умеет расшифровывать дневник здесь. Откройте страницу по адресу, " +
          "который начинается с https://, или в другом браузере (Chrome, Safari, Firefox, Яндекс Браузер).");
      return;
    }
    $("open").disabled = true;
    say("Открываем дневник…");
    try {
      var secret = await secretOf(code);
      var name = await nameOf(secret);
      var sealed = await loadBundle(name);
      if (!sealed) { say(WRONG); return; }
      var data = await openBundle(secret, name, sealed);
      say("");
      $("code").value = "";
      show(data, name);
    } catch (e) {
      say(WRONG);
    } finally {
      $("open").disabled = false;
    }
  }

  /* --- drawing the diary ----------------------------------------------------------------- */

  function today(data) {
    var built = meta.stamp.slice(0, 10);
    var now = isoOf(new Date());
    return now > built ? now : built;
  }

  function markChip(m, isNew) {
    var weight = m[3] !== 1 ? " ×" + String(m[3]).replace(".", ",") : "";
    var cls = "mk v" + m[1] + (m[3] > 1 ? " heavy" : "") + (isNew ? " new" : "");
    return el("span", {"class": cls, "data-date": m[0], "data-value": String(m[1]),
                       title: dateRu(m[0]) + ", " + m[2] + ", вес " + String(m[3]).replace(".", ",")},
      el("b", {text: String(m[1])}), el("small", {}, dayRu(m[0]), el("br"), kindShort(m[2]) + weight));
  }

  function chart(subject, data) {
    var W = 320, H = 86, L = 18, R = 6, T = 6, B = 16;
    var start = Date.parse(data.periods[0][1]), end = Date.parse(data.periods[data.periods.length - 1][2]);
    var x = function (iso) { return L + (W - L - R) * (Date.parse(iso) - start) / Math.max(1, end - start); };
    var y = function (v) { return T + (H - T - B) * (5 - v) / 3; };
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Отметки по предмету «" + subject.name + "» за год");
    function add(tag, attrs, text) {
      var n = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      if (text) { n.textContent = text; }
      svg.appendChild(n);
      return n;
    }
    [2, 3, 4, 5].forEach(function (v) {
      add("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), "class": "grid"});
      add("text", {x: 2, y: y(v) + 3, "class": "axis"}, String(v));
    });
    data.periods.forEach(function (p) {
      add("line", {x1: x(p[1]), x2: x(p[1]), y1: T, y2: H - B, "class": "period"});
      add("text", {x: x(p[1]) + 2, y: H - 4, "class": "axis"}, p[0].replace("четверть", "ч.").replace("полугодие", "полуг."));
    });
    var sum = 0, weight = 0, path = "";
    subject.marks.forEach(function (m) {
      sum += m[1] * m[3]; weight += m[3];
      path += (path ? " L" : "M") + x(m[0]).toFixed(1) + " " + y(Math.max(2, sum / weight)).toFixed(1);
    });
    if (path) { add("path", {d: path, "class": "avg"}); }
    subject.marks.forEach(function (m) {
      add("circle", {cx: x(m[0]).toFixed(1), cy: y(Math.max(2, m[1])).toFixed(1), r: m[3] > 1 ? 3.4 : 2.4, "class": "dot v" + m[1]});
    });
    return svg;
  }

  function section(id, title) {
    var s = el("section", {id: id, "class": "card"}, el("h2", {text: title}));
    return s;
  }

  function show(data, name) {
    var seenKey = "diary-seen-" + name;
    var last = null;
    try { last = localStorage.getItem(seenKey); } catch (e) { last = null; }
    var isNew = function (seen) { return last !== null && seen && seen > last; };
    var now = today(data);
    var root = $("diary");
    root.textContent = "";
    $("entry").hidden = true;
    root.hidden = false;

    var head = el("header", {"class": "card head"},
      el("div", {"class": "school", text: data.school + " · " + data.year + " учебный год"}),
      el("h1", {id: "student", text: data.student}),
      el("div", {"class": "who", text: data["class"] + " класс · классный руководитель: " + (data.teacher || "—")}),
      el("div", {"class": "stamp", text: "данные на " + dateRu(meta.stamp.slice(0, 10)) + ", " + meta.stamp.slice(11, 16)}),
      el("div", {"class": "buttons noprint"},
        el("button", {type: "button", id: "print"}, "Печать"),
        el("button", {type: "button", id: "leave"}, "Выйти")));
    if (data.teacherEmail) {
      head.appendChild(el("a", {"class": "write noprint", id: "write",
        href: "mailto:" + data.teacherEmail + "?subject=" + encodeURIComponent(data["class"] + " класс, " + data.student)},
        "Написать классному руководителю"));
    }
    root.appendChild(head);
    $("print").onclick = function () { window.print(); };
    $("leave").onclick = function () { root.textContent = ""; root.hidden = true; $("entry").hidden = false; };

    /* what is new */
    var fresh = [];
    data.subjects.forEach(function (s) {
      s.marks.forEach(function (m) { if (isNew(m[4])) { fresh.push(s.name + ": " + m[1] + " (" + dayRu(m[0]) + ", " + kindShort(m[2]) + ")"); } });
      s.finals.forEach(function (f) { if (isNew(f[2])) { fresh.push(s.name + ": " + f[0] + " — " + f[1]); } });
    });
    data.absences.forEach(function (a) { if (isNew(a[3])) { fresh.push(a[1] + ": " + (a[2] === "О" ? "опоздание " : "пропуск ") + dayRu(a[0])); } });
    (data.messages || []).forEach(function (m) { if (isNew(m[4])) { fresh.push("Сообщение от " + m[1] + " (" + dayRu(m[0]) + ")"); } });
    (data.events || []).forEach(function (e) { if (isNew(e[3])) { fresh.push("Событие " + dayRu(e[0]) + ": " + e[1]); } });
    var news = section("news", "Новое с прошлого раза");
    if (last === null) {
      news.appendChild(el("p", {text: "Вы открыли дневник на этом устройстве впервые. В следующий раз здесь будет видно, что появилось нового."}));
    } else if (!fresh.length) {
      news.appendChild(el("p", {text: "С прошлого раза (" + dateRu(last.slice(0, 10)) + ") нового нет."}));
    } else {
      news.appendChild(el("p", {text: "С прошлого раза (" + dateRu(last.slice(0, 10)) + ") появилось: " + fresh.length + ". Новое выделено жёлтым."}));
      news.appendChild(el("ul", {"class": "new-list"}, fresh.slice(0, 30).map(function (t) { return el("li", {text: t}); })));
    }
    root.appendChild(news);

    /* messages and events */
    var told = section("messages", "Сообщения и события");
    var msgs = (data.messages || []).slice().reverse();
    function msgItem(m) {
      return el("li", {"class": "msg" + (m[3] ? " personal" : "") + (isNew(m[4]) ? " new" : ""), "data-date": m[0]},
        el("div", {"class": "msg-head", text: dateRu(m[0]) + " · " + m[1] + (m[3] ? " · только вам" : " · всему классу")}),
        el("div", {"class": "msg-text", text: m[2]}));
    }
    told.appendChild(el("h3", {text: "Сообщения"}));
    told.appendChild(msgs.length ? el("ul", {"class": "plain msgs"}, msgs.slice(0, 10).map(msgItem))
                                 : el("p", {"class": "none", text: "Сообщений пока нет."}));
    if (msgs.length > 10) {
      told.appendChild(el("details", {}, el("summary", {text: "Все сообщения (" + msgs.length + ")"}),
        el("ul", {"class": "plain msgs"}, msgs.slice(10).map(msgItem))));
    }
    var evs = data.events || [];
    var ahead = evs.filter(function (e) { return e[0] >= now; });
    var gone = evs.filter(function (e) { return e[0] < now; }).reverse();
    function eventItem(e) {
      return el("li", {"class": "event" + (isNew(e[3]) ? " new" : ""), "data-kind": e[2]},
        el("b", {text: dateRu(e[0]) + " "}), e[1] + (e[2] === "school" ? " (для всей школы)" : " (для класса)"));
    }
    told.appendChild(el("h3", {text: "События"}));
    told.appendChild(ahead.length ? el("ul", {"class": "plain"}, ahead.map(eventItem))
                                  : el("p", {"class": "none", text: "Впереди событий пока нет."}));
    if (gone.length) {
      told.appendChild(el("details", {}, el("summary", {text: "Прошедшие события (" + gone.length + ")"}),
        el("ul", {"class": "plain"}, gone.map(eventItem))));
    }
    if (data.teacherEmail) {
      told.appendChild(el("p", {"class": "hint", text: "Ответить или спросить можно по электронной почте: ссылка «Написать классному руководителю» вверху страницы."}));
    }
    root.appendChild(told);

    /* summary */
    var missed = data.absences.filter(function (a) { return a[2] !== "О"; }).length;
    var late = data.absences.length - missed;
    var boxes = [];
    if (data.hasMarks) {
      boxes.push(["Средний балл", num(data.rating.average), data.rating.period || "текущий период"]);
      if (data.rating.place) {
        boxes.push(["Место в классе", data.rating.place + " из " + data.rating.of, "по среднему баллу"]);
      }
    }
    boxes.push(["Пропущено уроков", String(missed), "за учебный год"]);
    boxes.push(["Опозданий", String(late), "за учебный год"]);
    root.appendChild(el("section", {"class": "summary", id: "summary"}, boxes.map(function (b) {
      return el("div", {"class": "box"}, el("div", {"class": "label", text: b[0]}),
        el("div", {"class": "value", text: b[1]}), el("div", {"class": "hint", text: b[2]}));
    })));

    /* week's timetable */
    var monday = new Date(now + "T12:00:00");
    monday.setDate(monday.getDate() - (weekday(now) - 1));
    var week = section("week", "Расписание на неделю");
    var days = {};
    data.timetable.forEach(function (t) { (days[t[0]] = days[t[0]] || []).push(t); });
    var lessonsOn = {};
    data.lessons.forEach(function (l) { (lessonsOn[l[0]] = lessonsOn[l[0]] || []).push(l); });
    Object.keys(days).sort().forEach(function (d) {
      var date = new Date(monday); date.setDate(monday.getDate() + Number(d) - 1);
      var iso = isoOf(date);
      var planned = lessonsOn[iso] || [];
      week.appendChild(el("div", {"class": "day" + (iso === now ? " today" : "")},
        el("h3", {text: WEEKDAYS[d] + ", " + dayRu(iso)}),
        el("ol", {}, days[d].sort(function (a, b) { return a[1] - b[1]; }).map(function (t) {
          var kinds = planned.filter(function (l) { return l[1] === t[2] && l[5]; }).map(function (l) { return l[2]; });
          return el("li", {value: String(t[1])}, t[2], kinds.length ? el("span", {"class": "control", text: " — " + kinds[0].toLowerCase()}) : null);
        }))));
    });
    if (!data.timetable.length) { week.appendChild(el("p", {"class": "none", text: "Расписание в настройках школы не задано."})); }
    root.appendChild(week);

    /* upcoming control works */
    var control = section("control", "Ближайшие контрольные и проверочные");
    var coming = data.lessons.filter(function (l) { return l[0] >= now && l[5]; });
    if (coming.length) {
      control.appendChild(el("ul", {"class": "plain"}, coming.slice(0, 20).map(function (l) {
        return el("li", {}, el("b", {text: dateRu(l[0])}), " " + WEEKDAYS[weekday(l[0])].toLowerCase() + " — " + l[1] + ": " + l[2].toLowerCase());
      })));
    } else {
      control.appendChild(el("p", {"class": "none", text: "Учителя пока не отметили в журнале будущих контрольных работ."}));
    }
    root.appendChild(control);

    /* homework and topics */
    var hw = section("homework", "Домашние задания");
    var withHw = data.lessons.filter(function (l) { return l[4]; });
    var upcoming = withHw.filter(function (l) { return l[0] >= now; });
    var past = withHw.filter(function (l) { return l[0] < now; }).reverse();
    function hwItem(l) { return el("li", {}, el("b", {text: dayRu(l[0]) + " " + l[1] + ": "}), l[4]); }
    if (upcoming.length) {
      hw.appendChild(el("h3", {text: "На сегодня и вперёд"}));
      hw.appendChild(el("ul", {"class": "plain"}, upcoming.map(hwItem)));
    }
    hw.appendChild(el("h3", {text: "Заданные раньше"}));
    hw.appendChild(past.length ? el("ul", {"class": "plain"}, past.slice(0, 15).map(hwItem))
                               : el("p", {"class": "none", text: "Заданий в журнале пока нет."}));
    if (past.length > 15) {
      hw.appendChild(el("details", {}, el("summary", {text: "Все задания за год (" + past.length + ")"}),
        el("ul", {"class": "plain"}, past.slice(15).map(hwItem))));
    }
    root.appendChild(hw);

    var topics = section("topics", "Темы прошедших уроков");
    var held = data.lessons.filter(function (l) { return l[0] <= now && l[3]; }).reverse();
    function topicItem(l) { return el("li", {}, el("b", {text: dayRu(l[0]) + " " + l[1] + ": "}), l[3]); }
    topics.appendChild(held.length ? el("ul", {"class": "plain"}, held.slice(0, 10).map(topicItem))
                                   : el("p", {"class": "none", text: "Тем уроков в журнале пока нет."}));
    if (held.length > 10) {
      topics.appendChild(el("details", {}, el("summary", {text: "Все темы за год (" + held.length + ")"}),
        el("ul", {"class": "plain"}, held.slice(10).map(topicItem))));
    }
    root.appendChild(topics);

    /* marks by subject */
    var marks = section("marks", "Отметки за год по предметам");
    if (!data.hasMarks) {
      marks.appendChild(el("p", {text: "В первом классе обучение безотметочное."}));
    }
    marks.appendChild(el("p", {"class": "legend", text: "Под отметкой — дата и вид работы; «×2», «×3» — вес работы в среднем балле (в рамке — работы с большим весом). Средний балл — средневзвешенный."}));
    data.subjects.forEach(function (s) {
      var card = el("article", {"class": "subject", "data-subject": s.name + (s.group ? " (" + s.group + ")" : "")},
        el("h3", {}, s.name + (s.group ? " (" + s.group + ")" : ""), el("span", {"class": "year-avg", text: num(s.averages[""])})),
        el("div", {"class": "teacher", text: s.teacher}));
      if (data.hasMarks && s.marks.length) { card.appendChild(chart(s, data)); }
      data.periods.forEach(function (p) {
        var inP = s.marks.filter(function (m) { return m[0] >= p[1] && m[0] <= p[2]; });
        var fin = s.finals.filter(function (f) { return f[0] === p[0]; })[0];
        if (!inP.length && !fin && p[1] > now) { return; }
        card.appendChild(el("div", {"class": "period"},
          el("div", {"class": "period-head"}, el("span", {text: p[0]}),
            el("span", {"class": "period-avg", text: "средний " + num(s.averages[p[0]])}),
            fin ? el("span", {"class": "final" + (isNew(fin[2]) ? " new" : ""), text: "за период: " + fin[1]}) : null),
          el("div", {"class": "marks"}, inP.length ? inP.map(function (m) { return markChip(m, isNew(m[4])); })
                                                  : el("span", {"class": "none", text: "отметок нет"}))));
      });
      var others = s.finals.filter(function (f) { return !data.periods.some(function (p) { return p[0] === f[0]; }); });
      others.forEach(function (f) { card.appendChild(el("div", {"class": "final-row", text: f[0] + ": " + f[1]})); });
      card.appendChild(el("div", {"class": "year-line", text: "Средний балл за год: " + num(s.averages[""])}));
      marks.appendChild(card);
    });
    root.appendChild(marks);

    /* attendance */
    var att = section("attendance", "Посещаемость");
    if (!data.absences.length) {
      att.appendChild(el("p", {text: "Пропусков и опозданий в этом учебном году нет."}));
    } else {
      var counts = {};
      data.absences.forEach(function (a) { counts[a[2]] = (counts[a[2]] || 0) + 1; });
      att.appendChild(el("p", {text: ["Б", "У", "Н"].filter(function (k) { return counts[k]; }).map(function (k) {
        return REASON[k] + " — " + plural(counts[k], ["урок", "урока", "уроков"]);
      }).concat(counts["О"] ? ["опозданий — " + counts["О"]] : []).join("; ")}));
      att.appendChild(el("ul", {"class": "plain"}, data.absences.slice().reverse().map(function (a) {
        return el("li", {"class": isNew(a[3]) ? "new" : null}, el("b", {text: dayRu(a[0]) + " "}), a[1] + " — " + (REASON[a[2]] || a[2]) + " (" + a[2] + ")");
      })));
    }
    root.appendChild(att);

    if (data.note) {
      var note = section("note", "Слово классного руководителя");
      note.appendChild(el("p", {"class": "note", text: data.note}));
      root.appendChild(note);
    }
    root.appendChild(el("p", {"class": "foot", text: "Дневник показывает только данные вашего ребёнка. Код держите при себе; новый код выдаёт классный руководитель."}));
    try { localStorage.setItem(seenKey, meta.stamp); } catch (e) { /* private mode: nothing remembered */ }
    window.scrollTo(0, 0);
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });

  document.addEventListener("DOMContentLoaded", function () {
    $("school-name").textContent = meta.school;
    $("stamp").textContent = "Данные на " + dateRu(meta.stamp.slice(0, 10)) + ", " + meta.stamp.slice(11, 16);
    $("code-form").addEventListener("submit", submit);
    if (location.hash.length > 1) {
      $("code").value = decodeURIComponent(location.hash.slice(1));
      history.replaceState(null, "", location.pathname + location.search);
      submit(null);
    }
  });
})();
