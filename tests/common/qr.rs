//! Reading QR codes as a phone's camera would: off a captured terminal screen,
//! or off a screenshot.

use unicode_width::UnicodeWidthChar;

/// Every code found in a greyscale image, decoded.
pub fn decode_grey(width: usize, height: usize, pixel: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, pixel);
    img.detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The codes on a terminal's screen as `capture-pane -p` gives it: a column per
/// cell (a wide character takes two), a pixel per column and half-row, dark where
/// a block character (`█ ▀ ▄`) is.
pub fn decode_screen(screen: &str) -> Vec<String> {
    let mut half_rows: Vec<Vec<bool>> = Vec::new();
    for line in screen.lines() {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in line.chars() {
            let (t, b) = (matches!(c, '█' | '▀'), matches!(c, '█' | '▄'));
            for _ in 0..c.width().unwrap_or(1).max(1) {
                top.push(t);
                bottom.push(b);
            }
        }
        half_rows.push(top);
        half_rows.push(bottom);
    }
    let width = half_rows.iter().map(Vec::len).max().unwrap_or(0);
    let px = 4;
    decode_grey(width * px, half_rows.len() * px, |x, y| {
        if half_rows[y / px].get(x / px).copied().unwrap_or(false) {
            0
        } else {
            255
        }
    })
}

/// The codes in a PNG (a browser's screenshot).
pub fn decode_png(png: &[u8]) -> Vec<String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    decode_grey(w, h, |x, y| {
        let i = (y * w + x) * channels;
        let px = &buf[i..i + channels.min(3)];
        (px.iter().map(|&v| u32::from(v)).sum::<u32>() / px.len() as u32) as u8
    })
}
