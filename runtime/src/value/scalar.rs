//! Scalars (integers, floats, bool, char) formatted the way Rust's `Debug` prints them.

use gimli::DwAte;

/// Reads up to 8 bytes little-endian, zero-extended.
pub(crate) fn le_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = bytes.len().min(8);
    buf[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(buf)
}

fn sign_extend(raw: u64, size: usize) -> i64 {
    if size >= 8 {
        return raw as i64;
    }
    let shift = 64 - size * 8;
    ((raw << shift) as i64) >> shift
}

/// Formats a base-type value of `size` bytes with DWARF encoding `encoding`.
pub(crate) fn format_base(encoding: DwAte, bytes: &[u8]) -> String {
    let size = bytes.len();
    if size == 16 {
        // i128 / u128
        let lo = le_u64(&bytes[..8]) as u128;
        let hi = le_u64(&bytes[8..]) as u128;
        let v = (hi << 64) | lo;
        return if encoding == gimli::DW_ATE_signed {
            (v as i128).to_string()
        } else {
            v.to_string()
        };
    }
    let raw = le_u64(bytes);
    match encoding {
        gimli::DW_ATE_boolean => (raw != 0).to_string(),
        gimli::DW_ATE_float if size == 4 => format!("{:?}", f32::from_bits(raw as u32)),
        gimli::DW_ATE_float if size == 8 => format!("{:?}", f64::from_bits(raw)),
        gimli::DW_ATE_UTF => match char::from_u32(raw as u32) {
            Some(c) => format!("{c:?}"),
            None => format!("{raw:#x}"),
        },
        gimli::DW_ATE_signed_char | gimli::DW_ATE_unsigned_char => {
            let v = if encoding == gimli::DW_ATE_signed_char {
                sign_extend(raw, size)
            } else {
                raw as i64
            };
            match u8::try_from(v).ok().filter(|b| b.is_ascii_graphic() || *b == b' ') {
                Some(b) => format!("{v} '{}'", b as char),
                None => v.to_string(),
            }
        }
        gimli::DW_ATE_signed => sign_extend(raw, size).to_string(),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_rust_debug() {
        assert_eq!(format_base(gimli::DW_ATE_signed, &(-7i32).to_le_bytes()), "-7");
        assert_eq!(format_base(gimli::DW_ATE_unsigned, &42u64.to_le_bytes()), "42");
        assert_eq!(format_base(gimli::DW_ATE_float, &2.5f64.to_le_bytes()), "2.5");
        assert_eq!(format_base(gimli::DW_ATE_float, &3.0f32.to_le_bytes()), "3.0");
        assert_eq!(format_base(gimli::DW_ATE_boolean, &[1]), "true");
        assert_eq!(format_base(gimli::DW_ATE_UTF, &('λ' as u32).to_le_bytes()), "'λ'");
        assert_eq!(format_base(gimli::DW_ATE_signed_char, b"A"), "65 'A'");
        assert_eq!(format_base(gimli::DW_ATE_signed, &(-1i128).to_le_bytes()), "-1");
    }
}
