/// Screen areas for a terminal size.
struct Layout {
    static let minCols = 20
    static let minRows = 6

    let cols: Int
    let rows: Int
    let bannerRows: Int
    /// Width of the channel list (0 = hidden on narrow terminals); a separator column follows.
    let listWidth: Int
    /// First column and width of the message pane.
    let paneX: Int
    let paneWidth: Int
    /// First row and height of the channel list / message pane.
    let bodyTop: Int
    let bodyRows: Int

    var statusRow: Int { rows - 2 }
    var inputRow: Int { rows - 1 }
    var isTooSmall: Bool { cols < Self.minCols || rows < Self.minRows }
    /// Continuation rows of a wrapped message are indented under the text ("HH:MM ").
    var wrapIndent: Int { paneWidth >= 30 ? 6 : 0 }

    init(size: TermSize, hasBanner: Bool) {
        cols = max(0, size.cols)
        rows = max(0, size.rows)
        bannerRows = hasBanner ? 1 : 0
        listWidth = cols >= 40 ? min(20, max(12, cols / 5)) : 0
        paneX = listWidth > 0 ? listWidth + 1 : 0
        paneWidth = max(0, cols - paneX)
        bodyTop = bannerRows
        bodyRows = max(0, rows - 2 - bannerRows)
    }

    init(state: TUIState) {
        self.init(size: state.size, hasBanner: state.banner != nil)
    }
}
