//! A QR code in a terminal: two modules stacked in each character (`▀`, `▄`, `█`
//! or a space), black on white from the 256-colour palette's fixed cube (16 and
//! 231), which terminal themes leave alone where they change ANSI black and
//! white. A module is as many columns wide as half-rows tall, so square on a
//! terminal's cells (about twice as tall as wide); as large as the area allows.

use crate::qr::{Qr, QUIET};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

pub const DARK: Color = Color::Indexed(16);
pub const LIGHT: Color = Color::Indexed(231);

/// How a code is drawn: each module `scale` columns by `scale` half-rows, inside
/// a quiet zone of `quiet` modules; `width` x `height` cells in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub scale: u16,
    pub quiet: u16,
    pub width: u16,
    pub height: u16,
}

/// The largest drawing of `qr` in `width` x `height` cells (at most `max_scale`)
/// with the full quiet zone; when even the smallest does not fit, a narrower zone
/// (down to two modules, which phones still read); `None` when nothing fits.
pub fn fit(qr: &Qr, width: u16, height: u16, max_scale: u16) -> Option<Fit> {
    let full = (1..=max_scale.max(1))
        .rev()
        .map(|scale| (scale, QUIET as u16));
    full.chain([(1, 3), (1, 2)])
        .map(|(scale, quiet)| {
            let side = (qr.size() as u16 + 2 * quiet) * scale;
            Fit {
                scale,
                quiet,
                width: side,
                height: side.div_ceil(2),
            }
        })
        .find(|f| f.width <= width && f.height <= height)
}

/// Draws `qr` centred in `area` as large as it fits; the rectangle drawn, or
/// `None` (and nothing drawn) when the area is too small for it.
pub fn draw(qr: &Qr, area: Rect, buf: &mut Buffer, max_scale: u16) -> Option<Rect> {
    let f = fit(qr, area.width, area.height, max_scale)?;
    let at = Rect {
        x: area.x + (area.width - f.width) / 2,
        y: area.y + (area.height - f.height) / 2,
        width: f.width,
        height: f.height,
    };
    let (scale, quiet) = (usize::from(f.scale), usize::from(f.quiet));
    let side = (qr.size() + 2 * quiet) * scale;
    let dark = |col: usize, half_row: usize| {
        half_row < side && qr.dark_within(quiet, col / scale, half_row / scale)
    };
    let style = Style::new().fg(DARK).bg(LIGHT);
    for row in 0..at.height {
        for col in 0..at.width {
            let (c, h) = (usize::from(col), 2 * usize::from(row));
            let symbol = match (dark(c, h), dark(c, h + 1)) {
                (true, true) => "█",
                (true, false) => "▀",
                (false, true) => "▄",
                (false, false) => " ",
            };
            if let Some(cell) = buf.cell_mut((at.x + col, at.y + row)) {
                cell.set_symbol(symbol).set_style(style);
            }
        }
    }
    Some(at)
}

/// What a camera sees of lines of text drawn by `draw`: dark or light, by column
/// and half-row. For tests, and for reading a code off a captured screen.
pub fn pixels<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<Vec<bool>> {
    let mut out = Vec::new();
    for line in lines {
        let (top, bottom): (Vec<bool>, Vec<bool>) = line
            .chars()
            .map(|c| (matches!(c, '█' | '▀'), matches!(c, '█' | '▄')))
            .unzip();
        out.push(top);
        out.push(bottom);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(pixels: &[Vec<bool>]) -> String {
        let (w, h) = (pixels[0].len(), pixels.len());
        let px = 3;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w * px, h * px, |x, y| {
            if pixels[y / px].get(x / px).copied().unwrap_or(false) {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code on the screen");
        grids[0].decode().expect("the code reads").1
    }

    fn lines(buf: &Buffer, at: Rect) -> Vec<String> {
        (at.y..at.y + at.height)
            .map(|y| {
                (at.x..at.x + at.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_code_drawn_in_a_terminal_reads_back_at_every_scale() {
        let link = "https://192.168.1.23:7878/join#t=0123456789abcdef0123456789abcdef";
        let qr = Qr::for_screen(link).unwrap();
        for (w, h, scale, quiet) in [
            (80, 24, 1, 4),
            (40, 20, 1, 3),
            (38, 19, 1, 2),
            (200, 60, 2, 4),
        ] {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            let at = draw(&qr, area, &mut buf, 4).unwrap();
            let f = fit(&qr, w, h, 4).unwrap();
            assert_eq!((f.scale, f.quiet), (scale, quiet), "{w}x{h}");
            let text = lines(&buf, at);
            assert_eq!(
                decode(&pixels(text.iter().map(String::as_str))),
                link,
                "{w}x{h}"
            );
            // Black on white, whatever the theme.
            let cell = &buf[(at.x, at.y)];
            assert_eq!((cell.fg, cell.bg), (DARK, LIGHT));
        }
        assert_eq!(fit(&qr, 30, 12, 4), None);
    }
}
