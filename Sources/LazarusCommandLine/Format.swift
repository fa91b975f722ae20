/// Number formats for terminal output: grouped thousands, dollars to the cent.
public enum Format {
    /// An integer with thousands separators: 100000 → "100,000".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// Dollars to the cent with separators: -1234.5 → "-$1,234.50". Non-finite values print as "n/a".
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let cents = Int((value.magnitude * 100).rounded())
        let fraction = cents % 100
        return (value < 0 && cents > 0 ? "-" : "") + "$" + count(cents / 100) + (fraction < 10 ? ".0" : ".")
            + String(fraction)
    }
}
