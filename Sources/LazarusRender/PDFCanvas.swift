import CCairo

/// A PDF document drawn with Cairo, page by page, in points (1/72 inch) from the top-left corner.
///
/// Owns one `cairo_surface_t` and one `cairo_t` and releases each exactly once in `deinit`.
/// Call ``finish()`` to flush the file and learn whether writing succeeded: Cairo reports a full
/// disk or an unwritable path only through its status, which `finish` turns into an error.
public final class PDFCanvas {
    private let surface: OpaquePointer
    /// Where Cairo's stream goes; outlives the surface, which holds a pointer to it.
    private let sink: FileSink
    private let context: OpaquePointer
    /// The file being written.
    public let path: String
    /// Page width in points.
    public let width: Double
    /// Page height in points.
    public let height: Double
    private var finished = false

    /// Starts a PDF file.
    /// - Parameters:
    ///   - path: where to write it.
    ///   - width: page width in points (A4 is 595.28).
    ///   - height: page height in points (A4 is 841.89).
    /// - Throws: ``RenderError`` when the file cannot be created.
    public init(path: String, width: Double = 595.28, height: Double = 841.89) throws {
        // Cairo's own file output ignores failed writes: on a full disk it finished "successfully" with
        // the PDF cut off. Cairo writes through this sink instead, which sees every short write.
        let sink = try FileSink(path: path)
        let write: cairo_write_func_t = { closure, data, length in
            let sink = Unmanaged<FileSink>.fromOpaque(closure!).takeUnretainedValue()
            return sink.write(data, Int(length)) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
        }
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        else {
            throw RenderError(.cannotWrite, "cannot create PDF '\(path)'")
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError(
                .cannotWrite, "cannot create PDF '\(path)': \(String(cString: cairo_status_to_string(status)))")
        }
        self.sink = sink
        self.surface = surface
        self.context = context
        self.path = path
        self.width = width
        self.height = height
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Sets the document's title in its metadata.
    public func setTitle(_ title: String) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
    }

    /// Sets the colour for what is drawn next.
    /// - Parameters: red, green, blue, alpha in 0…1.
    public func setColor(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        cairo_set_source_rgba(context, red, green, blue, alpha)
    }

    /// Fills a rectangle with the current colour.
    public func fillRectangle(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Strokes a straight line with the current colour.
    public func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double = 1) {
        cairo_set_line_width(context, width)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
    }

    /// Draws one line of text with its baseline starting at (x, y).
    /// - Parameters:
    ///   - text: the text (UTF-8).
    ///   - x: left edge in points.
    ///   - y: baseline in points.
    ///   - size: font size in points.
    ///   - bold: whether to use the bold face.
    public func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false) {
        cairo_select_font_face(
            context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        cairo_move_to(context, x, y)
        cairo_show_text(context, text)
    }

    /// Width of a line of text in points, for alignment.
    public func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        cairo_select_font_face(
            context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Outlines a rectangle with the current colour.
    public func strokeRectangle(x: Double, y: Double, width: Double, height: Double, lineWidth: Double = 1) {
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, x, y, width, height)
        cairo_stroke(context)
    }

    /// A filled (or outlined) circle.
    public func circle(x: Double, y: Double, radius: Double, filled: Bool = true, lineWidth: Double = 0.8) {
        cairo_new_sub_path(context)
        cairo_arc(context, x, y, radius, 0, 2 * Double.pi)
        if filled {
            cairo_fill(context)
        } else {
            cairo_set_line_width(context, lineWidth)
            cairo_stroke(context)
        }
    }

    /// A filled polygon through the given points.
    public func fillPolygon(_ points: [(x: Double, y: Double)]) {
        guard let first = points.first else { return }
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// A polyline through the given points, solid or dashed.
    public func polyline(_ points: [(x: Double, y: Double)], width: Double = 1, dash: [Double] = []) {
        guard let first = points.first else { return }
        cairo_set_line_width(context, width)
        cairo_set_dash(context, dash, Int32(dash.count), 0)
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
        cairo_stroke(context)
        cairo_set_dash(context, [], 0, 0)
    }

    /// Restricts drawing to a rectangle until ``endClip()``.
    public func beginClip(x: Double, y: Double, width: Double, height: Double) {
        cairo_save(context)
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
    }

    /// Ends the clip begun by ``beginClip(x:y:width:height:)``.
    public func endClip() {
        cairo_restore(context)
    }

    /// Draws one line of text rotated by −90° (reading upwards), its baseline starting at (x, y).
    public func verticalText(_ text: String, x: Double, y: Double, size: Double) {
        cairo_save(context)
        cairo_translate(context, x, y)
        cairo_rotate(context, -Double.pi / 2)
        self.text(text, x: 0, y: 0, size: size)
        cairo_restore(context)
    }

    /// Ends the current page and starts a new one.
    public func newPage() {
        cairo_show_page(context)
    }

    /// Ends the last page and writes the file.
    /// - Throws: ``RenderError`` when drawing or writing failed (a full disk, a removed directory, …).
    public func finish() throws {
        guard !finished else { return }
        finished = true
        cairo_show_page(context)
        cairo_surface_finish(surface)
        let drawing = cairo_status(context)
        let writing = cairo_surface_status(surface)
        if let failure = sink.failure ?? sink.close() {
            throw RenderError(.cannotWrite, "cannot write PDF '\(path)': \(failure)")
        }
        if writing != CAIRO_STATUS_SUCCESS {
            throw RenderError(
                .cannotWrite, "cannot write PDF '\(path)': \(String(cString: cairo_status_to_string(writing)))")
        }
        if drawing != CAIRO_STATUS_SUCCESS {
            throw RenderError(
                .drawingFailed, "cannot draw PDF '\(path)': \(String(cString: cairo_status_to_string(drawing)))")
        }
    }
}
