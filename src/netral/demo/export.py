"""A realistic synthetic multi-platform export for demos and tests (no personal data).

``netral demo-export OUTDIR`` writes what "Rina Lestari", a fictional civil servant, would
download from her platforms: folders in each platform's own layout plus one zip (Instagram),
with Indonesian everyday and official posts, and a few campaign traces from 2019 and 2024
(posts, likes of candidate posts, follows of campaign accounts, campaign groups joined).
All names of people other than public candidates are invented. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from importlib.util import find_spec
from pathlib import Path

from netral.demo.corpus import samples

WIB = timezone(timedelta(hours=7))
ME = "Rina Lestari"
USER = "rina_lestari"

S = samples()


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def neutral(self) -> str:
        return S.neutral_post(self.r)

    def when(self, start: datetime, end: datetime) -> datetime:
        span = int((end - start).total_seconds())
        return start + timedelta(seconds=self.r.randrange(max(span, 1)))

    def any_time(self) -> datetime:
        return self.when(datetime(2018, 6, 1, tzinfo=WIB), datetime(2025, 6, 30, tzinfo=WIB))


def _d(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 9, tzinfo=WIB)


def _posts(g: _Gen, n_neutral: int) -> list[tuple[datetime, str, bool]]:
    """(when, text, is_campaign) covering 2018–2025 with campaign bursts in 2019 and 2024."""
    out = [(g.any_time(), g.neutral(), False) for _ in range(n_neutral)]
    for t in S.campaign_2019:
        out.append((g.when(_d(2019, 1, 5), _d(2019, 4, 12)), t, True))
    for t in S.campaign_2024:
        out.append((g.when(_d(2023, 12, 1), _d(2024, 2, 9)), t, True))
    for t in S.campaign_pilkada_2024:
        out.append((g.when(_d(2024, 10, 1), _d(2024, 11, 20)), t, True))
    out.sort()
    return out


def _mojibake(obj):
    """Meta's export bug: UTF-8 bytes written as Latin-1 code points."""
    if isinstance(obj, str):
        return obj.encode("utf-8").decode("latin-1")
    if isinstance(obj, list):
        return [_mojibake(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _mojibake(v) for k, v in obj.items()}
    return obj


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def _ytd(name: str, records: list) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(records, ensure_ascii=False, indent=2)


def _tw_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


# ---------------------------------------------------------------------------- platforms


def twitter(root: Path, g: _Gen, scale: int = 1) -> None:
    tweets = []
    for i, (when, text, _) in enumerate(_posts(g, 160 * scale)):
        tid = str(1000000000000000000 + i * 7919)
        t = {
            "edit_info": {"initial": {"editTweetIds": [tid], "editableUntil": ""}},
            "retweeted": False,
            "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
            "display_text_range": ["0", str(len(text))],
            "favorite_count": str(g.r.randrange(20)),
            "id_str": tid,
            "truncated": False,
            "retweet_count": "0",
            "id": tid,
            "created_at": _tw_time(when),
            "favorited": False,
            "full_text": text.replace("&", "&amp;"),
            "lang": "in",
        }
        if g.r.random() < 0.1:
            t["in_reply_to_status_id_str"] = str(900000000000000000 + i)
            t["in_reply_to_screen_name"] = "dinkes_smg"
            t["full_text"] = "@dinkes_smg " + t["full_text"]
        tweets.append({"tweet": t})
    rt = "RT @tkn_prabowogibran: Terima kasih relawan! Coblos nomor 2 tanggal 14 Februari…"
    tweets.append(
        {
            "tweet": {
                "id_str": "1750000000000000001",
                "id": "1750000000000000001",
                "created_at": _tw_time(_d(2024, 1, 20)),
                "full_text": rt,
                "retweeted": False,
                "entities": {"urls": []},
            }
        }
    )
    likes = [
        {
            "like": {
                "tweetId": str(1600000000000000000 + i),
                "fullText": t,
                "expandedUrl": f"https://twitter.com/i/web/status/{1600000000000000000 + i}",
            }
        }
        for i, t in enumerate([*S.liked_candidate, *(g.neutral() for _ in range(40 * scale))])
    ]
    likes.append({"like": {"tweetId": "1599999999999999999"}})  # deleted tweet: no text
    following = [
        {
            "following": {
                "accountId": str(10000 + i),
                "userLink": f"https://twitter.com/intent/user?user_id={10000 + i}",
            }
        }
        for i in range(25)
    ]
    data = root / "data"
    _write(data / "tweets.js", _ytd("tweets", tweets))
    _write(data / "like.js", _ytd("like", likes))
    _write(data / "following.js", _ytd("following", following))
    _write(
        data / "profile.js",
        _ytd(
            "profile",
            [
                {
                    "profile": {
                        "description": {
                            "bio": "ASN | Pecinta kopi dan fotografi | Semarang",
                            "website": "https://t.co/abc",
                            "location": "Semarang",
                        },
                        "avatarMediaUrl": "",
                    }
                }
            ],
        ),
    )
    _write(
        data / "account.js",
        _ytd(
            "account",
            [
                {
                    "account": {
                        "email": "rina@example.org",
                        "createdVia": "web",
                        "username": USER,
                        "accountId": "4242",
                        "createdAt": "2014-03-01T02:00:00.000Z",
                        "accountDisplayName": ME,
                    }
                }
            ],
        ),
    )


def facebook(root: Path, g: _Gen, scale: int = 1) -> None:
    act = root / "your_facebook_activity"
    posts = []
    for when, text, _ in _posts(g, 70 * scale):
        posts.append(
            {
                "timestamp": int(when.timestamp()),
                "data": [{"post": text}, {"update_timestamp": int(when.timestamp())}],
                "title": f"{ME} memperbarui statusnya.",
            }
        )
    posts.append(
        {
            "timestamp": int(_d(2024, 2, 1).timestamp()),
            "attachments": [
                {
                    "data": [
                        {
                            "external_context": {
                                "url": "https://example.org/visi-misi-paslon-2",
                                "name": "Visi-misi Prabowo-Gibran: makan siang gratis",
                            }
                        }
                    ]
                }
            ],
            "title": f"{ME} membagikan tautan.",
        }
    )
    comments = [
        {
            "timestamp": int(g.any_time().timestamp()),
            "data": [{"comment": {"timestamp": 0, "comment": g.neutral(), "author": ME}}],
            "title": f"{ME} mengomentari kiriman Dinas Kominfo.",
        }
        for _ in range(30 * scale)
    ]
    comments.append(
        {
            "timestamp": int(_d(2024, 1, 25).timestamp()),
            "data": [
                {
                    "comment": {
                        "timestamp": 0,
                        "author": ME,
                        "comment": "Setuju! Salam dua jari ✌️ buat yang mau lanjutkan",
                    }
                }
            ],
            "title": f"{ME} mengomentari kiriman Relawan Prabowo-Gibran.",
        }
    )
    reactions = [
        {
            "timestamp": int(g.any_time().timestamp()),
            "data": [{"reaction": {"reaction": "LIKE", "actor": ME}}],
            "title": f"{ME} menyukai kiriman {g.r.choice(S.liked_pages)}.",
        }
        for _ in range(40 * scale)
    ]
    reactions.append(
        {
            "timestamp": int(_d(2024, 1, 10).timestamp()),
            "data": [{"reaction": {"reaction": "LOVE", "actor": ME}}],
            "title": f"{ME} menyukai kiriman Timnas AMIN: Anies-Muhaimin menang! #AMIN",
        }
    )
    groups = [
        {
            "timestamp": int(g.any_time().timestamp()),
            "data": [{"name": n}],
            "title": f"Anda menjadi anggota {n}.",
        }
        for n in S.neutral_groups
    ]
    groups.append(
        {
            "timestamp": int(_d(2023, 12, 5).timestamp()),
            "data": [{"name": S.campaign_groups[0]}],
            "title": f"Anda menjadi anggota {S.campaign_groups[0]}.",
        }
    )
    pages = [
        {"name": n, "timestamp": int(g.any_time().timestamp())}
        for n in ["Pemkot Semarang", "Kuliner Semarang", "BKN Official", "Prabowo Subianto"]
    ]
    profile = {
        "profile_v2": {
            "name": {"full_name": ME},
            "emails": {"emails": ["rina@example.org"]},
            "current_city": {"name": "Semarang"},
            "about_me": "ASN, ibu dua anak.",
        }
    }
    enc = lambda obj: json.dumps(_mojibake(obj), indent=2)  # noqa: E731 - ASCII with \u escapes
    _write(act / "posts" / "your_posts__check_ins__photos_and_videos_1.json", enc(posts))
    _write(act / "comments_and_reactions" / "comments.json", enc({"comments_v2": comments}))
    _write(act / "comments_and_reactions" / "likes_and_reactions_1.json", enc(reactions))
    _write(
        act / "groups" / "your_group_membership_activity.json", enc({"groups_joined_v2": groups})
    )
    _write(act / "pages" / "pages_you've_liked.json", enc({"page_likes_v2": pages}))
    _write(
        root / "personal_information" / "profile_information" / "profile_information.json",
        enc(profile),
    )


_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _font(size: int):
    from PIL import ImageFont

    for f in _FONTS:
        if Path(f).is_file():
            return ImageFont.truetype(f, size)
    return ImageFont.load_default(size=size)


def _jpeg(im) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def demo_poster() -> bytes:
    """A rendered campaign poster ("COBLOS NO. 2") as JPEG bytes (drawn with Pillow)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (640, 420), (245, 245, 240))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, 639, 70], fill=(20, 90, 170))
    lines = [("COBLOS NO. 2", 84, (20, 20, 20)), ("LANJUTKAN!", 56, (160, 20, 20))]
    y = 120
    for text, size, colour in lines:
        font = _font(size)
        w = d.textlength(text, font=font)
        d.text(((640 - w) / 2, y), text, font=font, fill=colour)
        y += size + 50
    return _jpeg(im)


def demo_landscape(seed: int = 7) -> bytes:
    """A neutral landscape-like picture (sky, mountains, trees, lake) as JPEG bytes."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    w, h = 640, 420
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    for y in range(h):  # sky gradient
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(90 + 110 * t), int(150 + 70 * t), int(215 + 20 * t)))
    d.ellipse([470, 40, 530, 100], fill=(250, 240, 200))
    for layer in range(3):
        base = int(h * (0.45 + 0.15 * layer))
        pts = [(0, h)]
        x = 0
        while x <= w:
            pts.append((x, base - rng.randint(0, int(h * 0.2))))
            x += rng.randint(50, 110)
        pts += [(w, base), (w, h)]
        d.polygon(pts, fill=(30 + 10 * layer, 80 + 30 * layer, 50 + 10 * layer))
    for _ in range(6):
        x, y = rng.randint(0, w), rng.randint(int(h * 0.72), h - 10)
        s = rng.randint(12, 26)
        d.rectangle([x - 2, y - s // 2, x + 2, y + s], fill=(70, 50, 30))
        d.polygon([(x - s, y), (x + s, y), (x, y - 2 * s)], fill=(25, 110, 35))
    d.ellipse([w * 0.25, h * 0.8, w * 0.75, h * 1.05], fill=(60, 110, 170))
    return _jpeg(im.filter(ImageFilter.GaussianBlur(0.6)))


def instagram_zip(path: Path, g: _Gen, scale: int = 1) -> None:
    posts = [
        {
            "media": [
                {
                    "uri": f"media/posts/202401/{i}.jpg",
                    "creation_timestamp": int(w.timestamp()),
                    "title": t,
                }
            ]
        }
        for i, (w, t, _) in enumerate(_posts(g, 40 * scale))
    ]
    # two posts with real pictures: a campaign poster (the text is only in the picture) and
    # an ordinary landscape
    pictures = {
        "media/posts/202402/poster_pagi.jpg": (_d(2024, 2, 3), "Semangat pagi semua! 🌞"),
        "media/posts/202306/libur.jpg": (_d(2023, 6, 18), "Libur akhir pekan di kampung"),
    }
    for uri, (w, t) in pictures.items():
        posts.append({"media": [{"uri": uri, "creation_timestamp": int(w.timestamp()),
                                 "title": t}]})
    # a judgement on a contestant with no call to vote: the report's "to review" part
    for k, (day, t) in enumerate(S.review):
        w = _d(*map(int, day.split("-")))
        posts.append({"media": [{"uri": f"media/posts/review/{k}.jpg",
                                 "creation_timestamp": int(w.timestamp()), "title": t}]})
    likes = {
        "likes_media_likes": [
            {
                "title": n,
                "string_list_data": [
                    {
                        "href": f"https://www.instagram.com/p/{i}x/",
                        "value": "👍",
                        "timestamp": int(g.any_time().timestamp()),
                    }
                ],
            }
            for i, n in enumerate(
                [
                    "kuliner.semarang",
                    "pemkotsemarang",
                    *S.campaign_accounts[:2],
                    "sari.dewi",
                    "bkngoidofficial",
                ]
            )
        ]
    }
    following = {
        "relationships_following": [
            {
                "title": "",
                "media_list_data": [],
                "string_list_data": [
                    {
                        "href": f"https://www.instagram.com/{n}",
                        "value": n,
                        "timestamp": int(g.any_time().timestamp()),
                    }
                ],
            }
            for n in ["kuliner.semarang", "pemkotsemarang", "fotografi.smg", *S.campaign_accounts]
        ]
    }
    comments = [
        {
            "string_map_data": {
                "Comment": {"value": g.neutral()},
                "Media Owner": {"value": "pemkotsemarang"},
                "Time": {"timestamp": int(g.any_time().timestamp())},
            }
        }
        for _ in range(15 * scale)
    ]
    comments.append(
        {
            "string_map_data": {
                "Comment": {"value": "Tim gemoy mana suaranyaaa 🕺💃 #prabowogemoy"},
                "Media Owner": {"value": "tkn.prabowogibran"},
                "Time": {"timestamp": int(_d(2024, 1, 28).timestamp())},
            }
        }
    )
    profile = {
        "profile_user": [
            {
                "string_map_data": {
                    "Name": {"value": ME},
                    "Username": {"value": USER},
                    "Bio": {"value": "Abdi negara 🇮🇩 | Semarang"},
                    "Email": {"value": "rina@example.org"},
                }
            }
        ]
    }
    threads = {
        "text_post_app_text_posts": [
            {
                "media": [
                    {
                        "uri": "",
                        "creation_timestamp": int(g.any_time().timestamp()),
                        "title": g.neutral(),
                    }
                ]
            }
            for _ in range(10)
        ]
    }
    enc = lambda obj: json.dumps(_mojibake(obj), indent=2)  # noqa: E731
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("your_instagram_activity/content/posts_1.json", enc(posts))
        z.writestr("your_instagram_activity/likes/liked_posts.json", enc(likes))
        z.writestr("your_instagram_activity/comments/post_comments_1.json", enc(comments))
        z.writestr("connections/followers_and_following/following.json", enc(following))
        z.writestr(
            "personal_information/personal_information/personal_information.json", enc(profile)
        )
        z.writestr("your_instagram_activity/threads/threads_and_replies.json", enc(threads))
        # the pictures are drawn with Pillow (the ``images`` extra); a core install, which
        # checks no pictures, writes the export without them (the audit counts them missing)
        if find_spec("PIL") is not None:
            z.writestr("media/posts/202402/poster_pagi.jpg", demo_poster())
            z.writestr("media/posts/202306/libur.jpg", demo_landscape(7))
            z.writestr("media/profile/202401/profile_photo.jpg", demo_landscape(11))


def _wa_line(dt: datetime, author: str | None, text: str) -> str:
    head = dt.strftime("%d/%m/%y %H.%M")  # id-ID: dot in the time, no comma
    return f"{head} - {author}: {text}" if author else f"{head} - {text}"


def whatsapp(root: Path, g: _Gen, scale: int = 1) -> None:
    enc_note = (
        "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar "
        "chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya."
    )
    # a campaign group the person joined and posted in
    start = _d(2024, 1, 3)
    lines = [
        _wa_line(start, None, enc_note),
        _wa_line(start, None, 'Budi Santoso membuat grup "Relawan 03 Kec. Tembalang"'),
        _wa_line(start + timedelta(minutes=5), None, "Budi Santoso menambahkan Anda"),
    ]
    msgs = [
        ("Budi Santoso", "Selamat bergabung, kawan-kawan relawan!"),
        (ME, "Siap, Ganjar-Mahfud sat set! Salam tiga jari 🤘"),
        ("Dedi", "<Media tidak disertakan>"),
        ("Budi Santoso", "Besok kumpul di posko jam 19.00"),
        (ME, "Oke, nanti saya bawa teman-teman kantor juga.\nJangan lupa coblos nomor 3 ya!"),
        (ME, "Anda menghapus pesan ini"),
        ("Dedi", "Mantap"),
    ]
    for i, (a, t) in enumerate(msgs):
        lines.append(_wa_line(start + timedelta(hours=2 + i), a, t))
    _write(root / "Chat WhatsApp dengan Relawan 03 Kec. Tembalang.txt", "\n".join(lines) + "\n")
    # office group: everyday / official chatter
    lines = [_wa_line(_d(2023, 7, 1), None, enc_note)]
    t = _d(2023, 7, 1)
    for _ in range(60 * scale):
        t += timedelta(hours=g.r.randrange(5, 60))
        lines.append(_wa_line(t, g.r.choice([ME, "Pak Joko", "Bu Sari", "Andi"]), g.neutral()))
    _write(root / "Chat WhatsApp dengan Grup Kantor Dinas.txt", "\n".join(lines) + "\n")
    # a private chat (lets the tool infer who "me" is)
    lines = [_wa_line(_d(2024, 3, 2), None, enc_note)]
    t = _d(2024, 3, 2)
    for i in range(12):
        t += timedelta(minutes=g.r.randrange(3, 300))
        lines.append(_wa_line(t, ME if i % 2 else "Budi Santoso", g.neutral()))
    _write(root / "Chat WhatsApp dengan Budi Santoso.txt", "\n".join(lines) + "\n")


def telegram(root: Path, g: _Gen, scale: int = 1) -> None:
    def msg(i: int, dt: datetime, frm: str, fid: str, text) -> dict:
        flat = (
            text
            if isinstance(text, str)
            else "".join(p if isinstance(p, str) else p["text"] for p in text)
        )
        ents = (
            [{"type": "plain", "text": flat}]
            if isinstance(text, str)
            else [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text]
        )
        return {
            "id": i,
            "type": "message",
            "date": dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(dt.timestamp())),
            "from": frm,
            "from_id": fid,
            "text": text,
            "text_entities": ents,
        }

    chats = []
    # channel of a campaign team (joined): judged on its name
    chats.append(
        {
            "name": "Relawan AMIN Nasional",
            "type": "public_channel",
            "id": 7001,
            "messages": [
                msg(
                    1,
                    _d(2024, 1, 5),
                    "Relawan AMIN Nasional",
                    "channel7001",
                    "Desak Anies hadir di kotamu! #AMIN",
                )
            ],
        }
    )
    ms = []
    t = _d(2023, 9, 1)
    for i in range(40 * scale):
        t += timedelta(hours=g.r.randrange(3, 48))
        who = g.r.choice([(ME, "user4242"), ("Andi", "user5151"), ("Bu Sari", "user6161")])
        ms.append(msg(i + 1, t, who[0], who[1], g.neutral()))
    ms.append(
        msg(
            999,
            _d(2024, 2, 2),
            ME,
            "user4242",
            ["Yang penting bukan 02 😤 ", {"type": "hashtag", "text": "#salam4jari"}],
        )
    )
    chats.append(
        {
            "name": "Info CPNS dan PPPK 2024",
            "type": "private_supergroup",
            "id": 7002,
            "messages": ms,
        }
    )
    chats.append(
        {
            "name": "Budi Santoso",
            "type": "personal_chat",
            "id": 7003,
            "messages": [
                msg(1, _d(2024, 3, 3), ME, "user4242", "Nanti sore jadi ke kantor kecamatan?")
            ],
        }
    )
    data = {
        "about": "Here is the data you requested.",
        "personal_information": {
            "user_id": 4242,
            "first_name": "Rina",
            "last_name": "Lestari",
            "phone_number": "+62 000 0000",
            "bio": "ASN Kota Semarang",
        },
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
    }
    _write(root / "result.json", json.dumps(data, ensure_ascii=False, indent=1))


def tiktok(root: Path, g: _Gen, scale: int = 1) -> None:
    def ts(dt: datetime) -> str:
        return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    videos = [
        {
            "date": ts(w),
            "link": f"https://www.tiktokv.com/share/video/{7000 + i}/",
            "likes": str(g.r.randrange(100)),
            "desc": t,
        }
        for i, (w, t, _) in enumerate(_posts(g, 25 * scale))
    ]
    data = {
        "Profile And Settings": {
            "Profile Info": {
                "ProfileMap": {
                    "userName": USER,
                    "bioDescription": "ASN | konten kuliner & jalan-jalan",
                }
            }
        },
        "Your Activity": {
            "Following": {
                "Following": [
                    {"date": ts(g.any_time()), "username": n}
                    for n in ["kulinersemarang", "relawanamin_official", "jalanjalan.jateng"]
                ]
            },
            "Like List": {
                "ItemFavoriteList": [
                    {"date": ts(g.any_time()), "link": f"https://www.tiktok.com/@{n}/video/{i}"}
                    for i, n in enumerate(["kulinersemarang", "tkn.prabowogibran", "dinkes_smg"])
                ]
            },
            "Favorite Effects": {"FavoriteEffectsList": None},
        },
        "Comment": {
            "Comments": {
                "CommentsList": [
                    {"date": ts(g.any_time()), "comment": g.neutral(), "photo": "N/A", "url": ""}
                    for _ in range(10 * scale)
                ]
                + [
                    {
                        "date": ts(_d(2024, 2, 5)),
                        "comment": "Oke gas oke gas, nomor dua harus menang",
                        "photo": "N/A",
                        "url": "",
                    }
                ]
            }
        },
        "Post": {"Posts": {"VideoList": videos}},
    }
    _write(root / "user_data_tiktok.json", json.dumps(data, ensure_ascii=False, indent=2))


def youtube(root: Path, g: _Gen, scale: int = 1) -> None:
    base = root / "Takeout" / "YouTube and YouTube Music"
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "Channel ID",
            "Comment Create Timestamp",
            "Price",
            "Comment ID",
            "Parent Comment ID",
            "Video ID",
            "Comment Text",
        ]
    )
    rows = [(g.any_time(), g.neutral()) for _ in range(20 * scale)]
    rows.append((_d(2024, 1, 30), "Cawapres 01 keren pas debat, slepetnomics top!"))
    for i, (dt, text) in enumerate(rows):
        w.writerow(
            [
                "UCrina000000000000000000",
                dt.astimezone(UTC).isoformat(),
                "0",
                f"Ugx{i:06d}demo",
                "",
                f"vid{i:04d}xyz",
                json.dumps({"text": text}, ensure_ascii=False),
            ]
        )
    _write(base / "comments" / "comments.csv", out.getvalue())
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Channel Id", "Channel Url", "Channel Title"])
    for i, title in enumerate(
        [
            "Kemendikbud RI",
            "Resep Nusantara",
            "Ganjar Pranowo",
            "Relawan Ganjar-Mahfud Official",
            "BKN Official",
        ]
    ):
        w.writerow([f"UC{i:022d}", f"http://www.youtube.com/channel/UC{i:022d}", title])
    _write(base / "subscriptions" / "subscriptions.csv", out.getvalue())


def mastodon(root: Path, g: _Gen, scale: int = 1) -> None:
    items = []
    for i, (w, t, _) in enumerate(_posts(g, 15 * scale)):
        url = f"https://mastodon.example/@{USER}/{110000 + i}"
        items.append(
            {
                "id": url + "/activity",
                "type": "Create",
                "published": w.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "object": {
                    "id": url,
                    "type": "Note",
                    "url": url,
                    "inReplyTo": None,
                    "published": w.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "content": f"<p>{t}</p>",
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                },
            }
        )
    items.append(
        {
            "id": "https://mastodon.example/boost/1",
            "type": "Announce",
            "published": "2024-01-15T03:00:00Z",
            "object": "https://mastodon.example/@relawan03/555",
        }
    )
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }
    _write(root / "outbox.json", json.dumps(outbox, ensure_ascii=False, separators=(",", ":")))
    actor = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "actor.json",
        "type": "Person",
        "preferredUsername": USER,
        "name": ME,
        "summary": "<p>ASN di Semarang. Suka kopi.</p>",
        "url": f"https://mastodon.example/@{USER}",
    }
    _write(root / "actor.json", json.dumps(actor, ensure_ascii=False))


def write_demo_export(outdir: str | Path, seed: int = 2024, scale: int = 1) -> Path:
    """Write the synthetic export under ``outdir`` and return it."""
    root = Path(outdir)
    root.mkdir(parents=True, exist_ok=True)
    g = _Gen(seed)
    twitter(root / "twitter-rina_lestari", g, scale)
    facebook(root / "facebook-rinalestari", g, scale)
    instagram_zip(root / "instagram-rina_lestari.zip", g, scale)
    whatsapp(root / "whatsapp", g, scale)
    telegram(root / "telegram" / "DataExport_2025-06-30", g, scale)
    tiktok(root / "tiktok", g, scale)
    youtube(root / "google-takeout", g, scale)
    mastodon(root / "mastodon-archive", g, scale)
    _write(
        root / "README.txt",
        (
            "Ekspor sintetis untuk demo netral (bukan data orang sungguhan).\n"
            "Synthetic export for the netral demo (no real person's data).\n"
            "Periksa dengan / audit with:  netral audit " + str(root) + "\n"
        ),
    )
    return root
