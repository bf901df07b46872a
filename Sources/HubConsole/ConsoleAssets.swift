import Foundation
public import Hummingbird

/// The console's static files, read once at start: its own stylesheet and script (the target's
/// `Assets`), and the third-party browser libraries where Debian installs them
/// (`/usr/share/javascript`, from `libjs-leaflet` and `libjs-chart.js`) — served under `/vendor/`, never copied into
/// the repository, never fetched from the internet. A library that is not installed is simply
/// absent: the pages say the map is unavailable.
public struct ConsoleAssets: Sendable {
    struct File: Sendable {
        var bytes: ByteBuffer
        var contentType: String
        var gzipped: ByteBuffer?
    }

    /// Debian's files the console serves, by the path it serves them at.
    static let vendor: [(served: String, installed: String)] = [
        ("leaflet/leaflet.js", "leaflet/leaflet.min.js"),
        ("leaflet/leaflet.css", "leaflet/leaflet.css"),
        ("leaflet/images/marker-icon.png", "leaflet/images/marker-icon.png"),
        ("leaflet/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
        ("leaflet/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
        ("leaflet/images/layers.png", "leaflet/images/layers.png"),
        ("leaflet/leaflet.markercluster.js", "leaflet/leaflet.markercluster.min.js"),
        ("leaflet/MarkerCluster.css", "leaflet/MarkerCluster.css"),
        ("leaflet/MarkerCluster.Default.css", "leaflet/MarkerCluster.Default.css"),
        ("chart/chart.js", "chart.js/chart.min.js"),
    ]

    private let files: [String: File]

    /// The target's own assets and Debian's libraries where Debian installs them.
    public init() {
        self.init(own: Bundle.module.url(forResource: "Assets", withExtension: nil), debianJavaScript: URL(fileURLWithPath: "/usr/share/javascript"),
                  mapBackground: URL(fileURLWithPath: "/usr/local/share/lubehub/china-provinces.geojson"))
    }

    /// `mapBackground`: China's province outlines (GeoJSON), which `scripts/bootstrap` generates
    /// from Debian's `gmt-dcw`; served at `/vendor/map/china-provinces.geojson`.
    init(own directory: URL?, debianJavaScript: URL, mapBackground: URL) {
        var files: [String: File] = [:]
        func load(_ url: URL) -> File? {
            guard let data = try? Data(contentsOf: url) else { return nil }
            let gzipped = try? Data(contentsOf: url.appendingPathExtension("gz"))
            return File(bytes: ByteBuffer(bytes: data), contentType: Self.contentType(url.pathExtension), gzipped: gzipped.map { ByteBuffer(bytes: $0) })
        }
        if let directory {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
                if let file = load(directory.appendingPathComponent(name)) { files["assets/" + name] = file }
            }
        }
        for (served, installed) in Self.vendor {
            if let file = load(debianJavaScript.appendingPathComponent(installed)) { files["vendor/" + served] = file }
        }
        if let file = load(mapBackground) { files["vendor/map/china-provinces.geojson"] = file }
        self.files = files
    }

    /// Whether the chart library is installed.
    public var hasCharts: Bool { files["vendor/chart/chart.js"] != nil }

    /// Whether the map library is installed.
    public var hasMap: Bool { files["vendor/leaflet/leaflet.js"] != nil }

    /// The file at `path` (`assets/console.js`, `vendor/leaflet/leaflet.js`); nil when there is none.
    func response(_ path: String, acceptsGzip: Bool) -> Response? {
        guard let file = files[path] else { return nil }
        var headers: HTTPFields = [.contentType: file.contentType, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"]
        if acceptsGzip, let gzipped = file.gzipped {
            headers[.contentEncoding] = "gzip"
            headers[.vary] = "Accept-Encoding"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: gzipped))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: file.bytes))
    }

    static func contentType(_ fileExtension: String) -> String {
        switch fileExtension {
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "png": "image/png"
        case "svg": "image/svg+xml"
        case "json", "geojson": "application/json"
        default: "application/octet-stream"
        }
    }
}
