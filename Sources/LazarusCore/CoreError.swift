/// A failure of the domain core: impossible settings or inputs. A stable code and one clear line.
public typealias CoreError = LazarusError<CoreErrorCode>

/// What kind of failure a ``CoreError`` is.
public enum CoreErrorCode: String, Sendable {
    /// A setting is outside its meaningful range.
    case invalidSetting = "invalid-setting"
    /// The loss budget could not be read or changed.
    case budgetUnavailable = "budget-unavailable"
    /// Data given to an estimator is malformed: mismatched lengths, NaN, negative weights, labels not 0/1.
    case invalidInput = "invalid-input"
    /// There is nothing to estimate from: no rows, or no weight.
    case emptyData = "empty-data"
    /// Every labelled row has the same outcome, so no model of it can be fitted.
    case singleClass = "single-class"
    /// The features separate the outcomes perfectly: the maximum-likelihood coefficients are infinite.
    case perfectSeparation = "perfect-separation"
    /// The features are collinear or constant: the coefficients are not identified.
    case singularDesign = "singular-design"
    /// The fit did not converge within its iteration limit.
    case didNotConverge = "did-not-converge"
}
