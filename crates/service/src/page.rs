//! The present list as an HTML page, for an inspector's browser.

use loggningsindex_report::html_text;

use crate::queries::PresentList;

/// The page: a heading with the site, the instant and the count, and one
/// table row per person. Every value is escaped.
pub(crate) fn present_page(list: &PresentList) -> String {
    let mut rows = String::new();
    for p in &list.present {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            html_text(&p.name),
            html_text(&p.person),
            html_text(&p.company),
            html_text(&p.card),
            html_text(&p.since),
        ));
    }
    if list.present.is_empty() {
        rows.push_str("<tr><td colspan=\"5\">Nobody is checked in.</td></tr>\n");
    }
    format!(
        "<!doctype html>
<html lang=\"sv\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Närvarande – {site}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }}
h1 {{ font-size: 1.4rem; margin-bottom: 0.2rem; }}
p.meta {{ color: #555; margin-top: 0; }}
table {{ border-collapse: collapse; min-width: 40rem; }}
th, td {{ text-align: left; padding: 0.35rem 0.8rem; border-bottom: 1px solid #ddd; white-space: nowrap; }}
th {{ background: #f3f3f3; }}
td:nth-child(2), td:nth-child(4) {{ font-family: ui-monospace, monospace; }}
</style>
</head>
<body>
<h1>Present at {site}</h1>
<p class=\"meta\">{count} checked in at {at} (last check-in within 13 hours, no check-out since)</p>
<table>
<thead><tr><th>Name</th><th>Person</th><th>Company</th><th>Card</th><th>Checked in</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</body>
</html>
",
        site = html_text(&list.site),
        at = html_text(&to_the_second(&list.at)),
        count = list.count,
    )
}

/// An RFC 3339 time without its fraction of a second, for people.
fn to_the_second(time: &str) -> String {
    match time.find('.') {
        Some(dot) => {
            let rest = &time[dot..];
            let end = rest.find(['+', '-', 'Z']).unwrap_or(rest.len());
            format!("{}{}", &time[..dot], &rest[end..])
        }
        None => time.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::to_the_second;

    #[test]
    fn fractions_of_a_second_are_left_out() {
        assert_eq!(
            to_the_second("2026-11-29T17:00:05.123456789+01:00"),
            "2026-11-29T17:00:05+01:00"
        );
        assert_eq!(
            to_the_second("2026-11-29T16:00:05.5Z"),
            "2026-11-29T16:00:05Z"
        );
        assert_eq!(
            to_the_second("2026-11-29T17:00:05+01:00"),
            "2026-11-29T17:00:05+01:00"
        );
    }
}
