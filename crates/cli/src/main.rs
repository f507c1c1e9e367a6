//! `cchc`: the command line of cchc. Every command is a thin shell over the domain crates:
//! parse arguments, load inputs, call the core, print in Vietnamese, set the exit status.

mod admin_cmds;
mod catalogues;
mod dossier_cmds;
mod output;
mod plan_cmds;
mod record_cmds;
mod report_cmd;
mod store_cmds;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// mimalloc rather than glibc's malloc: parsing a dossier export allocates and frees millions of
// small strings on every core, and glibc's arenas made that a fifth of the import's CPU time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cchc", version, about = "Báo cáo cải cách hành chính: kiểm tra, nhập, tổng hợp số liệu")]
struct Cli {
    // Help texts are Vietnamese: they are what users read.
    #[doc = "Tệp bộ chỉ tiêu (TOML) bổ sung ngoài bộ mặc định; báo cáo ghi rõ bộ chỉ tiêu mình dùng"]
    #[arg(long = "catalogue", global = true, value_name = "FILE")]
    catalogues: Vec<PathBuf>,
    #[doc = "Cơ sở dữ liệu: sqlite://cchc.db (mặc định), sqlite::memory: hoặc postgres://…"]
    #[arg(long, global = true, env = "CCHC_DB", default_value = "sqlite://cchc.db")]
    db: String,
    #[doc = "Quy tắc kỳ số liệu của tỉnh (TOML, xem docs/periods.md); mặc định từ ngày 15 đến ngày 14, hạn gửi sau 2 ngày làm việc"]
    #[arg(long, global = true, value_name = "FILE")]
    window: Option<PathBuf>,
    #[doc = "Tài khoản thực hiện (với quyền của tài khoản đó), ghi vào nhật ký thay đổi; mặc định là tài khoản hệ thống \"cli\""]
    #[arg(long = "as", global = true, default_value = SYSTEM_ACTOR)]
    user: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[doc = "Kiểm tra tệp báo cáo mà không lưu; mã thoát 1 khi có lỗi, 0 khi không có"]
    Validate {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
    },
    #[doc = "Kiểm tra rồi lưu tệp báo cáo (.json, hoặc .xlsx là biểu mẫu Excel đã điền); không lưu gì nếu còn lỗi"]
    Import {
        file: PathBuf,
        #[doc = "Lưu báo cáo đã ban hành (đã ký) của kỳ trước đúng như in, kể cả sai sót, ngoài quy trình gửi duyệt; dùng để so sánh"]
        #[arg(long)]
        issued: bool,
    },
    #[doc = "Xuất báo cáo theo Nghị định 30/2020 (DOCX), phụ lục/biểu mẫu nhập liệu (XLSX) và PDF, từ cơ sở dữ liệu (--unit, --period) hoặc từ tệp (--from)"]
    Report {
        #[arg(long, requires = "period", conflicts_with = "from")]
        unit: Option<String>,
        #[arg(long)]
        period: Option<String>,
        #[doc = "Tệp báo cáo JSON (không cần cơ sở dữ liệu)"]
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        #[doc = "Tệp DOCX cần ghi"]
        #[arg(long, value_name = "FILE.docx")]
        out: Option<PathBuf>,
        #[doc = "Ghi thêm phụ lục số liệu (XLSX), cũng là biểu mẫu nhập liệu"]
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
        #[doc = "Ghi thêm bản PDF (cần LibreOffice)"]
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
        #[doc = "In dự thảo \"III. Đánh giá chung\" lập từ số liệu"]
        #[arg(long)]
        draft: bool,
        #[doc = "Phụ lục in đủ mọi dòng của biểu mẫu (mặc định chỉ in các chỉ tiêu có số liệu)"]
        #[arg(long)]
        full_appendix: bool,
    },
    #[doc = "Tổng hợp báo cáo của đơn vị từ báo cáo của chính đơn vị và các đơn vị cấp dưới đã gửi"]
    Rollup {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
        #[doc = "Ghi thêm báo cáo tổng hợp ra tệp (JSON)"]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    #[doc = "Lập báo cáo tổng hợp của đơn vị (lưu thành bản nháp báo cáo của đơn vị): số liệu riêng của đơn vị cộng số liệu các đơn vị cấp dưới đã gửi"]
    Compile {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
    },
    #[doc = "Chuyển trạng thái báo cáo: submit (gửi), approve (duyệt), return (trả lại, cần --reason), lock (khóa), unlock (mở khóa)"]
    Workflow {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum)]
        action: store_cmds::WorkflowAction,
        #[arg(long)]
        reason: Option<String>,
        #[doc = "Giải trình các cảnh báo (cần khi gửi báo cáo còn cảnh báo)"]
        #[arg(long)]
        explanation: Option<String>,
        #[doc = "Khi trả lại: chỉ tiêu cần xem lại, \"mã: nội dung\" (lặp lại được), ví dụ --mark \"3.5.1[field=ho-tich]: Hộ tịch 224 < 94 + 150\""]
        #[arg(long = "mark")]
        marks: Vec<String>,
    },
    #[doc = "Bộ chỉ tiêu"]
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    #[doc = "Đơn vị"]
    #[command(subcommand)]
    Units(UnitsCommand),
    #[doc = "Tài khoản người dùng"]
    #[command(subcommand)]
    Users(UsersCommand),
    #[doc = "Thủ tục hành chính (TTHC)"]
    #[command(subcommand)]
    Procedures(ProceduresCommand),
    #[doc = "Sổ theo dõi hồ sơ một cửa"]
    #[command(subcommand)]
    Dossiers(DossiersCommand),
    #[doc = "Lịch làm việc, âm lịch và ngày nghỉ"]
    #[command(subcommand)]
    Calendar(CalendarCommand),
    #[doc = "Kế hoạch và nhiệm vụ CCHC: nhập, xuất bảng Excel, danh sách nhiệm vụ"]
    #[command(subcommand)]
    Plans(plan_cmds::PlansCommand),
    #[doc = "Kiểm tra công tác CCHC: danh sách cuộc kiểm tra của đơn vị"]
    #[command(subcommand)]
    Inspections(record_cmds::InspectionsCommand),
    #[doc = "Phản ánh, kiến nghị (PAKN): danh sách của đơn vị với hạn trả lời và tình trạng"]
    #[command(subcommand)]
    Feedback(record_cmds::FeedbackCommand),
    #[doc = "Chạy ứng dụng web (mặc định tại http://127.0.0.1:8080/)"]
    Serve {
        #[doc = "Địa chỉ lắng nghe"]
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        #[doc = "Tạo dữ liệu mẫu: tỉnh, xã, hồ sơ một năm, báo cáo ở mọi trạng thái, tài khoản mẫu cho mỗi vai trò"]
        #[arg(long)]
        demo: bool,
        #[doc = "Số hồ sơ mẫu khi dùng --demo"]
        #[arg(long, default_value_t = 20_000)]
        demo_dossiers: usize,
        #[doc = "Địa chỉ IP của reverse proxy tin cậy (lặp lại được hoặc viết cách nhau bằng dấu phẩy): chỉ kết nối từ các địa chỉ này mới được lấy địa chỉ người dùng trong X-Forwarded-For (để giới hạn đăng nhập sai theo địa chỉ)"]
        #[arg(long = "trusted-proxy", value_name = "IP[/PREFIX]", value_delimiter = ',', value_parser = cchc_web::parse_trusted_proxy)]
        trusted_proxies: Vec<ipnet::IpNet>,
        #[doc = "Dung lượng tối đa của dữ liệu một biểu mẫu hoặc một yêu cầu API, tính bằng MB"]
        #[arg(long, value_name = "MB", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1024))]
        max_body_mb: u16,
        #[doc = "Dung lượng tối đa của tệp nhập báo cáo gửi lên, tính bằng MB"]
        #[arg(long, value_name = "MB", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
        max_upload_mb: u16,
        #[doc = "Số giây tối đa để nhận xong phần đầu (header) của một yêu cầu; quá hạn thì đóng kết nối"]
        #[arg(long, value_name = "GIÂY", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        #[doc = "Số kết nối phục vụ cùng lúc; kết nối sau phải chờ"]
        #[arg(long, value_name = "SỐ", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        max_connections: u32,
    },
}

#[derive(Subcommand)]
enum DossiersCommand {
    #[doc = "Nhập hồ sơ: .csv (mỗi dòng một sự kiện) hoặc .jsonl (mỗi dòng một hồ sơ); --format dvcqg: tệp đồng bộ của Cổng Dịch vụ công quốc gia (DongBoHoSoMC); --format mau07: sổ theo dõi hồ sơ (Mẫu số 07, Thông tư 03/2025/TT-VPCP) xuất ra Excel (.xlsx)"]
    Import {
        file: PathBuf,
        #[doc = "Định dạng tệp: cchc (mặc định, theo đuôi tệp .csv hoặc .jsonl), dvcqg hoặc mau07"]
        #[arg(long, value_enum, default_value = "cchc")]
        format: dossier_cmds::FileFormat,
        #[doc = "Với --format dvcqg: tệp cập nhật tiến độ (CapNhatTienDoHoSoMC) ghi người xử lý từng bước"]
        #[arg(long, value_name = "FILE")]
        steps: Option<PathBuf>,
    },
    #[doc = "Xuất hồ sơ của đơn vị và các đơn vị cấp dưới: csv, jsonl, dvcqg (định dạng đồng bộ của Cổng Dịch vụ công quốc gia) hoặc dvcqg-tien-do (cập nhật tiến độ: người xử lý từng bước)"]
    Export {
        #[arg(long)]
        unit: String,
        #[arg(long, value_enum)]
        format: dossier_cmds::ExportFormat,
        #[doc = "Tệp ghi ra (mặc định: in ra màn hình)"]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    #[doc = "Thống kê Biểu 06 của đơn vị và các đơn vị cấp dưới trong kỳ, với điểm theo Quyết định 766"]
    Stats {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
        #[doc = "Điểm nhóm công khai, minh bạch (0–18) theo Quyết định 766, đánh giá ngoài sổ theo dõi hồ sơ"]
        #[arg(long, value_name = "ĐIỂM", value_parser = points)]
        transparency: Option<rust_decimal::Decimal>,
    },
    #[doc = "Điểm theo Quyết định 766/QĐ-TTg của đơn vị trong kỳ: phần tính được từ sổ theo dõi hồ sơ, phần đơn vị nhập (--set), điểm trên Cổng Dịch vụ công quốc gia (--national) và chênh lệch"]
    Scores {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[doc = "Nhập điểm một tiêu chí hoặc cả nhóm, dạng tiêu_chí=điểm (ví dụ published_on_time=6 hoặc transparency=16,5); lặp lại được"]
        #[arg(long = "set", value_name = "TIÊU_CHÍ=ĐIỂM", value_parser = entered_points)]
        set: Vec<(String, rust_decimal::Decimal)>,
        #[doc = "Tổng điểm của đơn vị trên Cổng Dịch vụ công quốc gia (0–100), để so sánh"]
        #[arg(long, value_name = "ĐIỂM", value_parser = national_points)]
        national: Option<rust_decimal::Decimal>,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
    },
    #[doc = "Nhập tệp CSV điểm trên Cổng Dịch vụ công quốc gia của nhiều đơn vị (dòng tiêu đề, rồi mã đơn vị, kỳ, điểm mỗi dòng); sai một dòng thì không lưu gì"]
    ScoresImport { file: PathBuf },
    #[doc = "Điền vào báo cáo của đơn vị các số liệu tính từ sổ theo dõi hồ sơ"]
    Prefill {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
    },
    #[doc = "In phiếu của hồ sơ theo Thông tư 03/2025/TT-VPCP (mẫu 01–06) ra tệp DOCX, hoặc PDF khi --out có đuôi .pdf"]
    Form {
        #[doc = "Mã hồ sơ"]
        #[arg(long)]
        id: String,
        #[doc = "Số mẫu: 01 (giấy tiếp nhận và hẹn trả), 02 (yêu cầu bổ sung), 03 (từ chối), 04 (xin lỗi, hẹn lại), 05 (dừng giải quyết), 06 (kiểm soát quá trình)"]
        #[arg(long)]
        form: String,
        #[doc = "Tệp ghi ra (mặc định: mau-<số mẫu>-<mã hồ sơ>.docx)"]
        #[arg(long)]
        out: Option<PathBuf>,
        #[doc = "Địa chỉ trang tra cứu công khai mà mã QR dẫn đến"]
        #[arg(long, env = "CCHC_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    #[doc = "Tạo hồ sơ mẫu cho các đơn vị thuộc --unit (lưu vào cơ sở dữ liệu, hoặc ghi ra --out: .jsonl, hoặc .csv mỗi dòng một sự kiện)"]
    Generate {
        #[arg(long)]
        dossiers: usize,
        #[arg(long)]
        unit: String,
        #[arg(long, default_value_t = 2026)]
        year: i32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    #[doc = "In ngày âm lịch dạng D/M/YYYY, thêm \"(nhuận)\" nếu là tháng nhuận"]
    Lunar { date: String },
    #[doc = "Liệt kê các ngày nghỉ của năm (dd/mm/yyyy và tên ngày nghỉ), theo lịch đã ghi trong cơ sở dữ liệu nếu có"]
    Holidays { year: i32 },
    #[doc = "Ghi lịch nghỉ Chính phủ thông báo từ tệp TOML (định dạng data/calendar/README.md); kiểm tra mọi năm trước khi lưu"]
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum ProceduresCommand {
    #[doc = "Nhập danh mục thủ tục từ tệp CSV (code,name,field,level,time_unit,time,online,fee); không nhập gì nếu có dòng sai"]
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum UsersCommand {
    #[doc = "Thêm hoặc cập nhật tài khoản (mật khẩu lấy từ biến môi trường CCHC_PASSWORD nếu không ghi --password)"]
    Add {
        username: String,
        #[doc = "Vai trò: admin (quản trị), unit-officer (cán bộ đơn vị), compiler (cán bộ tổng hợp), leader (lãnh đạo)"]
        #[arg(long)]
        role: String,
        #[doc = "Mã đơn vị của người dùng"]
        #[arg(long)]
        unit: String,
        #[doc = "Họ và tên"]
        #[arg(long)]
        name: String,
        #[arg(long, env = "CCHC_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum UnitsCommand {
    #[doc = "Nhập danh sách đơn vị và lịch sử sáp nhập từ tệp JSON (docs/units-format.md)"]
    Import { file: PathBuf },
    #[doc = "Thiết lập văn bản của đơn vị (ký hiệu, người ký, nơi nhận…); không ghi tham số nào thì in thiết lập hiện có"]
    Settings(Box<report_cmd::SettingsArgs>),
}

#[derive(Subcommand)]
enum CatalogueCommand {
    #[doc = "Kiểm tra tệp bộ chỉ tiêu (và các bộ nó kế thừa), in mọi lỗi"]
    Check { file: PathBuf },
    #[doc = "Lưu một phiên bản bộ chỉ tiêu vào cơ sở dữ liệu (chỉ khi hợp lệ toàn bộ)"]
    Add {
        file: PathBuf,
        #[doc = "Áp dụng ngay cho báo cáo lập mới"]
        #[arg(long)]
        in_force: bool,
    },
    #[doc = "Áp dụng một phiên bản đã lưu (id@version) cho báo cáo lập mới"]
    Use { reference: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        // The log of a command: warnings and faults (with their reference) on stderr.
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
            .init();
    }
    let result = match cli.command {
        Command::Validate { file, format } => validate::run(&file, format, &cli.catalogues),
        Command::Catalogue(CatalogueCommand::Check { file }) => catalogues::check_command(&file, &cli.catalogues),
        Command::Calendar(CalendarCommand::Lunar { date }) => lunar(&date),
        Command::Calendar(CalendarCommand::Holidays { year }) => holidays(&cli.db, year),
        Command::Report { from: Some(file), out, xlsx, pdf, draft, full_appendix, .. } => {
            report_cmd::from_file(&file, &cli.catalogues, &report_cmd::Outputs { docx: out, xlsx, pdf, draft, full_appendix })
        }
        Command::Serve { bind, demo, demo_dossiers, trusted_proxies, max_body_mb, max_upload_mb, header_timeout, max_connections } => {
            let limits = serve_limits(max_body_mb, max_upload_mb, header_timeout, max_connections);
            serve(cchc_web::ServeConfig { db: cli.db.clone(), bind, demo, demo_dossiers, limits, trusted_proxies })
        }
        store_command => run_with_store(&cli.db, &cli.user, store_command, &cli.catalogues, cli.window.as_deref()),
    };
    finish(result)
}

/// The name the command line acts under when no `--as USER` is given: the system account.
const SYSTEM_ACTOR: &str = "cli";

/// Who the command acts as: the stored account `--as` names (with its role and unit), or the
/// system account.
async fn actor(store: &dyn cchc_storage::Store, name: &str) -> anyhow::Result<cchc_storage::User> {
    if name == SYSTEM_ACTOR {
        return Ok(cchc_app::access::system_user(SYSTEM_ACTOR));
    }
    match store.user(name).await? {
        Some(u) if u.active => Ok(u),
        Some(_) => Err(cchc_app::Error::Forbidden(format!("Tài khoản {name} đã bị khóa.")).into()),
        None => Err(cchc_app::Error::NotFound(format!("tài khoản {name} (--as)")).into()),
    }
}

fn run_with_store(db: &str, user: &str, command: Command, extra: &[PathBuf], window: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = cchc_storage::open(db).await?;
        let mut app = cchc_app::App::load(store.clone()).await?;
        app.rule = store_cmds::window_rule(window)?;
        let actor = actor(store.as_ref(), user).await?;
        match command {
            Command::Import { file, issued: false } if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) => {
                report_cmd::import_xlsx(&app, &actor, &file).await
            }
            Command::Import { file, issued } => store_cmds::import(&app, &actor, &file, extra, issued).await,
            Command::Report { unit, period, out, xlsx, pdf, draft, full_appendix, .. } => {
                let unit = unit.ok_or_else(|| anyhow::anyhow!("cần --unit MÃ --period KỲ, hoặc --from TỆP"))?;
                let period = period.ok_or_else(|| anyhow::anyhow!("cần --period"))?.parse()?;
                report_cmd::from_store(&app, &actor, &unit, period, &report_cmd::Outputs { docx: out, xlsx, pdf, draft, full_appendix })
                    .await
            }
            Command::Units(UnitsCommand::Import { file }) => store_cmds::import_units(&app, &actor, &file).await,
            Command::Units(UnitsCommand::Settings(args)) => report_cmd::settings(store.as_ref(), *args).await,
            Command::Users(UsersCommand::Add { username, role, unit, name, password }) => {
                store_cmds::add_user(&app, &actor, &username, &role, &unit, &name, &password).await
            }
            Command::Rollup { unit, period, format, out } => {
                store_cmds::rollup(&app, &actor, &unit, period.parse()?, format, out.as_deref()).await
            }
            Command::Compile { unit, period } => store_cmds::compile(&app, &actor, &unit, period.parse()?).await,
            Command::Workflow { unit, period, action, reason, explanation, marks } => {
                store_cmds::workflow(&app, &actor, &unit, period.parse()?, action, reason, explanation, marks).await
            }
            Command::Procedures(ProceduresCommand::Import { file }) => admin_cmds::import_procedures(&app, &actor, &file).await,
            Command::Calendar(CalendarCommand::Import { file }) => admin_cmds::import_schedule(&app, &actor, &file).await,
            Command::Catalogue(CatalogueCommand::Add { file, in_force }) => admin_cmds::add_catalogue(&app, &actor, &file, in_force).await,
            Command::Catalogue(CatalogueCommand::Use { reference }) => admin_cmds::use_catalogue(&app, &actor, &reference).await,
            Command::Dossiers(DossiersCommand::Import { file, format, steps }) => {
                dossier_cmds::import_cmd(&app, &actor, &file, format, steps.as_deref()).await
            }
            Command::Dossiers(DossiersCommand::Export { unit, format, out }) => {
                dossier_cmds::export_cmd(&app, &actor, &unit, format, out.as_deref()).await
            }
            Command::Dossiers(DossiersCommand::Stats { unit, period, format, transparency }) => {
                let mut overrides = cchc_dossiers::scores::Entered::default();
                if let Some(points) = transparency {
                    overrides.groups.insert(cchc_dossiers::scores::Group::Transparency.slug().to_string(), points);
                }
                dossier_cmds::stats_cmd(&app, &actor, &unit, period.parse()?, format, overrides).await
            }
            Command::Dossiers(DossiersCommand::ScoresImport { file }) => dossier_cmds::scores_import_cmd(&app, &actor, &file).await,
            Command::Dossiers(DossiersCommand::Scores { unit, period, set, national, format }) => {
                dossier_cmds::scores_cmd(&app, &actor, &unit, period.parse()?, &set, national, format).await
            }
            Command::Dossiers(DossiersCommand::Prefill { unit, period }) => {
                dossier_cmds::prefill_cmd(&app, &actor, &unit, period.parse()?).await
            }
            Command::Dossiers(DossiersCommand::Form { id, form, out, base_url }) => {
                dossier_cmds::form_cmd(&app, &actor, &id, &form, out.as_deref(), &base_url).await
            }
            Command::Dossiers(DossiersCommand::Generate { dossiers, unit, year, seed, out }) => {
                dossier_cmds::generate_cmd(store.as_ref(), &unit, dossiers, year, seed, out.as_deref()).await
            }
            Command::Plans(command) => plan_cmds::run(&app, &actor, command).await,
            Command::Inspections(command) => record_cmds::inspections(&app, &actor, command).await,
            Command::Feedback(command) => record_cmds::feedback(&app, &actor, command).await,
            Command::Validate { .. }
            | Command::Catalogue(CatalogueCommand::Check { .. })
            | Command::Calendar(CalendarCommand::Lunar { .. } | CalendarCommand::Holidays { .. })
            | Command::Serve { .. } => unreachable!("handled without a store"),
        }
    })
}

/// The server's limits from `cchc serve`'s flags (sizes in MB, the header time in seconds).
fn serve_limits(max_body_mb: u16, max_upload_mb: u16, header_timeout: u64, max_connections: u32) -> cchc_web::Limits {
    cchc_web::Limits {
        header_read_timeout: std::time::Duration::from_secs(header_timeout),
        max_connections: max_connections as usize,
        max_body: usize::from(max_body_mb) * 1024 * 1024,
        max_upload: usize::from(max_upload_mb) * 1024 * 1024,
    }
}

fn serve(config: cchc_web::ServeConfig) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    tokio::runtime::Runtime::new()?.block_on(cchc_web::serve(config))?;
    Ok(ExitCode::SUCCESS)
}

/// Points as officials write them (`12,5`), between 0 and the transparency group's 18.
fn points(s: &str) -> Result<rust_decimal::Decimal, String> {
    let p = cchc_format::parse_number(s).ok_or_else(|| format!("\"{s}\" không phải là số điểm"))?;
    let max = rust_decimal::Decimal::from(cchc_dossiers::scores::Group::Transparency.max());
    if p < rust_decimal::Decimal::ZERO || p > max { Err(format!("điểm phải từ 0 đến {max}")) } else { Ok(p) }
}

/// `part=points` of `cchc dossiers scores --set`: a part or group of Decision 766 by its name in
/// files, and points between 0 and its maximum.
fn entered_points(s: &str) -> Result<(String, rust_decimal::Decimal), String> {
    use cchc_dossiers::scores::{Group, Part};
    let (name, value) = s.split_once('=').ok_or_else(|| format!("\"{s}\": viết dạng tiêu_chí=điểm, ví dụ published_on_time=6"))?;
    let name = name.trim();
    let max = match (Part::from_slug(name), Group::ALL.into_iter().find(|g| g.slug() == name)) {
        (Some(p), _) => p.max(),
        (None, Some(g)) => g.max(),
        (None, None) => {
            let names: Vec<&str> = Part::ALL.iter().map(|p| p.slug()).chain(Group::ALL.iter().map(|g| g.slug())).collect();
            return Err(format!("không có tiêu chí \"{name}\"; các tiêu chí: {}", names.join(", ")));
        }
    };
    let p = cchc_format::parse_number(value.trim()).ok_or_else(|| format!("\"{value}\" không phải là số điểm"))?;
    let max = rust_decimal::Decimal::from(max);
    if p < rust_decimal::Decimal::ZERO || p > max {
        Err(format!("{name}: điểm phải từ 0 đến {max}"))
    } else {
        Ok((name.to_string(), p))
    }
}

/// The national portal's total: points between 0 and 100.
fn national_points(s: &str) -> Result<rust_decimal::Decimal, String> {
    let p = cchc_format::parse_number(s).ok_or_else(|| format!("\"{s}\" không phải là số điểm"))?;
    if p < rust_decimal::Decimal::ZERO || p > rust_decimal::Decimal::from(100) {
        Err("điểm phải từ 0 đến 100".into())
    } else {
        Ok(p)
    }
}

fn lunar(date: &str) -> anyhow::Result<ExitCode> {
    let day =
        cchc_format::parse_date(date).ok_or_else(|| anyhow::anyhow!("ngày \"{date}\" không hợp lệ (viết YYYY-MM-DD hoặc dd/mm/yyyy)"))?;
    println!("{}", cchc_calendar::solar_to_lunar(day));
    Ok(ExitCode::SUCCESS)
}

/// The days off of a year: from the store when it already exists (listing must not create a
/// database as a side effect), else from the shipped schedule.
fn holidays(db: &str, year: i32) -> anyhow::Result<ExitCode> {
    let path = db.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p));
    let exists = match path {
        Some(p) => std::path::Path::new(p).exists(),
        None => db.starts_with("postgres"),
    };
    tokio::runtime::Runtime::new()?.block_on(async {
        if exists {
            let store = cchc_storage::open(db).await?;
            admin_cmds::holidays(Some(store.as_ref()), year).await
        } else {
            admin_cmds::holidays(None, year).await
        }
    })
}

/// One cause of a failed command in Vietnamese: the commands' own contexts already are; the
/// operating system's file errors are said in Vietnamese instead of its English.
fn cause_vi(cause: &(dyn std::error::Error + 'static)) -> String {
    match cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => "không có tệp hoặc thư mục này".into(),
        Some(std::io::ErrorKind::PermissionDenied) => "không có quyền đọc hoặc ghi".into(),
        Some(std::io::ErrorKind::InvalidData) => "nội dung không phải văn bản UTF-8".into(),
        Some(_) => "lỗi đọc hoặc ghi tệp".into(),
        None => cause.to_string(),
    }
}

/// The exit status and message of a command: 0; 1 with the message when the input or the
/// request is refused (every problem listed); 2 for a fault, whose cause is in the log (stderr)
/// under the reference the message gives. No database or library text is printed as a message.
fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    let e = match result {
        Ok(code) => return code,
        Err(e) => e,
    };
    // A use case's error or a store error anywhere in the chain is said in its own words;
    // the contexts the commands add (file names) are kept in front of it.
    let own = e.chain().find_map(|c| c.downcast_ref::<cchc_app::Error>().cloned());
    let store = e.chain().any(|c| c.downcast_ref::<cchc_storage::StoreError>().is_some());
    let app_error = match own {
        Some(a) => Ok(a),
        None if store => Ok(cchc_app::Error::from(e)),
        None => Err(e),
    };
    match app_error {
        Ok(a) => {
            eprintln!("Lỗi: {a}");
            for p in a.problems().iter().filter(|p| p.to_string() != a.to_string()) {
                eprintln!("  - {p}");
            }
            ExitCode::from(if matches!(a, cchc_app::Error::Internal { .. }) { 2 } else { 1 })
        }
        Err(e) => {
            let said: Vec<String> = e.chain().map(cause_vi).collect();
            eprintln!("Lỗi: {}", said.join(": "));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod serve_flags {
    use clap::Parser;

    use super::{Cli, Command, serve_limits};

    fn parse(args: &[&str]) -> Result<(Vec<ipnet::IpNet>, cchc_web::Limits), clap::Error> {
        let cli = Cli::try_parse_from(["cchc", "serve"].iter().chain(args))?;
        match cli.command {
            Command::Serve { trusted_proxies, max_body_mb, max_upload_mb, header_timeout, max_connections, .. } => {
                Ok((trusted_proxies, serve_limits(max_body_mb, max_upload_mb, header_timeout, max_connections)))
            }
            _ => unreachable!("serve parses as Serve"),
        }
    }

    #[test]
    fn without_flags_the_limits_are_the_servers_defaults_and_no_proxy_is_trusted() {
        let (proxies, limits) = parse(&[]).unwrap();
        let default = cchc_web::Limits::default();
        assert!(proxies.is_empty());
        assert_eq!(limits.max_body, default.max_body);
        assert_eq!(limits.max_upload, default.max_upload);
        assert_eq!(limits.header_read_timeout, default.header_read_timeout);
        assert_eq!(limits.max_connections, default.max_connections);
    }

    #[test]
    fn the_flags_set_the_limits_and_the_trusted_proxies() {
        let args = [
            "--trusted-proxy",
            "10.0.0.1,10.0.0.2",
            "--trusted-proxy",
            "::1",
            "--trusted-proxy",
            "172.16.5.9/12",
            "--max-body-mb",
            "2",
            "--max-upload-mb",
            "40",
            "--header-timeout",
            "5",
            "--max-connections",
            "64",
        ];
        let (proxies, limits) = parse(&args).unwrap();
        // A network is kept as written but truncated to its prefix.
        let expected: Vec<ipnet::IpNet> =
            ["10.0.0.1/32", "10.0.0.2/32", "::1/128", "172.16.0.0/12"].iter().map(|a| a.parse().unwrap()).collect();
        assert_eq!(proxies, expected);
        assert_eq!(limits.max_body, 2 * 1024 * 1024);
        assert_eq!(limits.max_upload, 40 * 1024 * 1024);
        assert_eq!(limits.header_read_timeout, std::time::Duration::from_secs(5));
        assert_eq!(limits.max_connections, 64);
    }

    #[test]
    fn a_proxy_that_is_not_an_address_and_a_zero_limit_are_refused() {
        assert!(parse(&["--trusted-proxy", "proxy.local"]).is_err());
        assert!(parse(&["--trusted-proxy", "10.0.0.0/33"]).is_err());
        let message = parse(&["--trusted-proxy", "proxy.local"]).unwrap_err().to_string();
        assert!(message.contains("không phải địa chỉ IP"), "{message}");
        assert!(parse(&["--max-connections", "0"]).is_err());
        assert!(parse(&["--max-body-mb", "0"]).is_err());
    }
}
