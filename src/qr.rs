//! QR codes of join links: the `qrcode` crate encodes; how a code is drawn (in a
//! terminal with half blocks, on a printed card as SVG) is ours. Dark modules are
//! black on white whatever the terminal's or the page's colours, with the quiet
//! zone of four modules the standard asks for, or a phone's camera does not find
//! the code.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white around a code.
pub const QUIET: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    /// Modules per side, without the quiet zone.
    size: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// The code of `text` for a screen: low error correction, so fewer and larger
    /// modules in the same space (a screen is neither creased nor stained).
    pub fn for_screen(text: &str) -> Result<Qr, String> {
        Qr::with(text, EcLevel::L)
    }

    /// The code of `text` for paper: medium error correction (a card may be
    /// creased).
    pub fn for_paper(text: &str) -> Result<Qr, String> {
        Qr::with(text, EcLevel::M)
    }

    fn with(text: &str, level: EcLevel) -> Result<Qr, String> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), level)
            .map_err(|e| format!("cannot make a QR code of {} bytes: {e}", text.len()))?;
        Ok(Qr {
            size: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules per side, the quiet zone included.
    pub fn side(&self) -> usize {
        self.size + 2 * QUIET
    }

    /// Modules per side of the code alone.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at (`x`, `y`), counted from the quiet zone's corner, is
    /// dark; the quiet zone and beyond are light.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.dark_within(QUIET, x, y)
    }

    /// Whether the module at (`x`, `y`) is dark, with a quiet zone of `quiet`
    /// modules (a terminal short of room draws less than four).
    pub fn dark_within(&self, quiet: usize, x: usize, y: usize) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(quiet), y.checked_sub(quiet)) else {
            return false;
        };
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// An SVG of the code, quiet zone included, one unit per module: one path of
    /// the dark runs of each row on a white square, crisp at any print size.
    pub fn svg(&self, label: &str) -> String {
        let side = self.side();
        let mut path = String::new();
        for y in 0..side {
            let mut x = 0;
            while x < side {
                if !self.dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < side && self.dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!("M{start} {y}h{}v1H{start}z", x - start));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
            crate::text::html(label)
        )
    }

    /// Every module, quiet zone included, row by row.
    pub fn rows_of_modules(&self) -> Vec<Vec<bool>> {
        (0..self.side())
            .map(|y| (0..self.side()).map(|x| self.dark(x, y)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a code back from its modules, as a phone's camera would.
    fn decode(modules: &[Vec<bool>], px: usize) -> String {
        let side = modules.len() * px;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            if modules[y / px][x / px] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("the code reads").1
    }

    #[test]
    fn a_link_reads_back_from_its_code() {
        let link = "http://192.168.1.23:7878/join#t=0123456789abcdef0123456789abcdef";
        let qr = Qr::for_paper(link).unwrap();
        assert_eq!(decode(&qr.rows_of_modules(), 4), link);
        assert_eq!(
            decode(&Qr::for_screen(link).unwrap().rows_of_modules(), 3),
            link
        );
        assert!(
            Qr::for_screen(link).unwrap().side() <= 41,
            "small enough for an 80x24 screen: {}",
            qr.side()
        );
        let svg = qr.svg("马文静");
        assert!(svg.starts_with("<svg") && svg.contains("马文静"));
    }
}
