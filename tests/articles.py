"""Short articles written for the tests."""

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "claimcheck" / "examples" / "harbor-tunnel.txt"

ORCHARD = (
    "Late frost threatens Valdera apple harvest\n"
    "\n"
    "Growers in the Valdera valley lost up to a third of their apple blossom to a late frost on "
    "Tuesday night, the regional farmers’ cooperative said on Wednesday.\n"
    "\n"
    "“We have not seen temperatures like this in April for forty years,” said Marta Quell, who "
    "runs a 60-hectare orchard near Osterby. She said her family had lit straw fires between the "
    "rows until dawn to keep the air moving.\n"
    "\n"
    "The cooperative expects the harvest to fall to about 110,000 tonnes, down from 165,000 "
    "tonnes last year. Cider makers warned that prices could rise by the autumn.\n"
)

# CRLF line endings, non-Latin names and mixed quote styles.
SUMMIT = (
    "Ministers meet in Almaty\r\n"
    "\r\n"
    'Kazakhstan’s foreign minister, Ерлан Карин, said the talks were "constructive" and '
    "that a trade agreement could be signed “before the end of the year.”\r\n"
    "\r\n"
    "The Chinese delegation, led by 王毅, did not comment. Officials said 14 working groups "
    "would meet in Astana in June — the first such meeting since 2019.\r\n"
)
