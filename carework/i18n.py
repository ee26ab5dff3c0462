"""User-visible text in Vietnamese (default) and English.

Every string a user reads — dashboard labels, loader errors, reject reasons, CLI reports — comes
from :data:`MESSAGES` through :func:`t`. The language is ``vi`` unless ``CAREWORK_LANG`` says
otherwise or :func:`set_language` was called.

Examples
--------
>>> t("table.transactions", lang="en")
'Transactions'
>>> t("table.transactions", lang="vi")
'Giao dịch'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- tables ---------------------------------------------------------------------------
    "table.transactions": {"vi": "Giao dịch", "en": "Transactions"},
    "table.customers": {"vi": "Khách hàng", "en": "Customers"},
    "table.surveys": {"vi": "Khảo sát", "en": "Surveys"},
    "table.tickets": {"vi": "Phiếu hỗ trợ", "en": "Tickets"},
    "table.contacts": {"vi": "Lịch sử liên hệ", "en": "Contacts"},
    # --- columns --------------------------------------------------------------------------
    "col.customer_id": {"vi": "Mã KH", "en": "Customer ID"},
    "col.purchased_at": {"vi": "Ngày mua", "en": "Purchased at"},
    "col.amount": {"vi": "Số tiền", "en": "Amount"},
    "col.order_id": {"vi": "Mã đơn", "en": "Order ID"},
    "col.channel": {"vi": "Kênh", "en": "Channel"},
    "col.product_category": {"vi": "Nhóm hàng", "en": "Product category"},
    "col.store": {"vi": "Cửa hàng", "en": "Store"},
    "col.name": {"vi": "Họ tên", "en": "Name"},
    "col.phone": {"vi": "Số điện thoại", "en": "Phone"},
    "col.email": {"vi": "Email", "en": "Email"},
    "col.gender": {"vi": "Giới tính", "en": "Gender"},
    "col.birth_date": {"vi": "Ngày sinh", "en": "Birth date"},
    "col.province": {"vi": "Tỉnh/thành", "en": "Province"},
    "col.occupation": {"vi": "Nghề nghiệp", "en": "Occupation"},
    "col.income_band": {"vi": "Mức thu nhập", "en": "Income band"},
    "col.acquisition_source": {"vi": "Nguồn khách", "en": "Acquisition source"},
    "col.signup_at": {"vi": "Ngày đăng ký", "en": "Signed up"},
    "col.do_not_call": {"vi": "Không gọi", "en": "Do not call"},
    "col.answered_at": {"vi": "Ngày trả lời", "en": "Answered at"},
    "col.nps": {"vi": "Điểm NPS", "en": "NPS score"},
    "col.csat": {"vi": "Điểm hài lòng (CSAT)", "en": "CSAT rating"},
    "col.comment": {"vi": "Nhận xét", "en": "Comment"},
    "col.ticket_id": {"vi": "Mã phiếu", "en": "Ticket ID"},
    "col.opened_at": {"vi": "Ngày tiếp nhận", "en": "Opened at"},
    "col.first_response_at": {"vi": "Phản hồi đầu tiên", "en": "First response at"},
    "col.resolved_at": {"vi": "Ngày xử lý xong", "en": "Resolved at"},
    "col.category": {"vi": "Phân loại", "en": "Category"},
    "col.agent": {"vi": "Nhân viên", "en": "Agent"},
    "col.status": {"vi": "Trạng thái", "en": "Status"},
    "col.contacted_at": {"vi": "Ngày liên hệ", "en": "Contacted at"},
    "col.outcome": {"vi": "Kết quả", "en": "Outcome"},
    # --- reasons a row is set aside -----------------------------------------------------------
    "reason.duplicate_row": {"vi": "dòng trùng lặp hoàn toàn", "en": "exact duplicate row"},
    "reason.bad_line": {"vi": "dòng sai số cột", "en": "wrong number of fields on the line"},
    "reason.missing_value": {"vi": "thiếu giá trị bắt buộc", "en": "required value missing"},
    "reason.unparseable_date": {"vi": "ngày không đọc được", "en": "date could not be read"},
    "reason.implausible_date": {"vi": "ngày không hợp lý (trước 1990)",
                                "en": "implausible date (before 1990)"},
    "reason.future_date": {"vi": "ngày ở tương lai", "en": "date in the future"},
    "reason.unparseable_amount": {"vi": "số tiền không đọc được",
                                  "en": "amount could not be read"},
    "reason.negative_amount": {"vi": "số tiền âm (hàng trả lại)",
                               "en": "negative amount (a return)"},
    "reason.unparseable_score": {"vi": "điểm không đọc được", "en": "score could not be read"},
    "reason.score_out_of_range": {"vi": "điểm nằm ngoài thang đo",
                                  "en": "score outside its scale"},
    "reason.responded_before_opened": {"vi": "phản hồi trước khi mở phiếu",
                                       "en": "answered before the ticket was opened"},
    "reason.resolved_before_opened": {"vi": "xử lý xong trước khi mở phiếu",
                                      "en": "resolved before the ticket was opened"},
    "reason.duplicate_key": {"vi": "mã bị trùng với dòng trước",
                             "en": "key repeats an earlier row"},
    # --- notes on kept rows (a value was blanked or normalised) ------------------------------------
    "note.unparseable_date": {"vi": "ngày không đọc được, để trống",
                              "en": "date could not be read, left empty"},
    "note.future_date": {"vi": "ngày ở tương lai, để trống", "en": "date in the future, left empty"},
    "note.implausible_date": {"vi": "ngày không hợp lý, để trống",
                              "en": "implausible date, left empty"},
    "note.invalid_phone": {"vi": "số điện thoại không hợp lệ, để trống",
                           "en": "invalid phone number, left empty"},
    "note.unreadable_do_not_call": {"vi": "không đọc được, coi là KHÔNG GỌI",
                                    "en": "unreadable, treated as do-not-call"},
    "note.restored_leading_zero": {"vi": "thêm số 0 đầu bị Excel bỏ mất",
                                   "en": "leading zero dropped by Excel restored"},
    # --- loader errors (DataError) ------------------------------------------------------------
    "err.no_folder": {"vi": "không tìm thấy thư mục dữ liệu",
                      "en": "data folder not found"},
    "fix.no_folder": {"vi": "kiểm tra đường dẫn hoặc biến môi trường CAREWORK_DATA",
                      "en": "check the path or the CAREWORK_DATA environment variable"},
    "err.no_transactions": {"vi": "thư mục không có bảng giao dịch (bắt buộc)",
                            "en": "the folder has no transactions table (required)"},
    "fix.no_transactions": {
        "vi": "thêm tệp {names} (.csv, .xlsx hoặc .parquet)",
        "en": "add a file named {names} (.csv, .xlsx or .parquet)"},
    "err.two_files": {"vi": "có nhiều tệp cho cùng bảng {table}: {files}",
                      "en": "several files hold the {table} table: {files}"},
    "fix.two_files": {"vi": "giữ lại một tệp, đổi tên hoặc chuyển các tệp còn lại",
                      "en": "keep one and rename or move the others"},
    "err.empty_file": {"vi": "tệp rỗng, không có dòng dữ liệu nào",
                       "en": "the file is empty: no data rows"},
    "fix.empty_file": {"vi": "xuất lại dữ liệu kèm dòng tiêu đề, hoặc xoá tệp nếu không dùng",
                       "en": "export the data again with its header row, or remove the file"},
    "err.encoding": {"vi": "không nhận ra bảng mã ký tự của tệp",
                     "en": "the file's character encoding is not recognised"},
    "fix.encoding": {"vi": "lưu lại tệp dạng CSV UTF-8 (Excel: Lưu thành → CSV UTF-8)",
                     "en": "save the file as CSV UTF-8 (Excel: Save As → CSV UTF-8)"},
    "err.unreadable": {"vi": "không đọc được tệp ({detail})",
                       "en": "the file could not be read ({detail})"},
    "fix.unreadable": {"vi": "mở tệp bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8",
                       "en": "open it in a spreadsheet program and save it as .xlsx or CSV UTF-8"},
    "err.old_excel": {"vi": "định dạng Excel cũ (.xls) không được hỗ trợ",
                      "en": "the old Excel format (.xls) is not supported"},
    "fix.old_excel": {"vi": "mở bằng Excel và lưu lại dạng .xlsx",
                      "en": "open it in Excel and save it as .xlsx"},
    "err.missing_column": {"vi": "thiếu cột bắt buộc '{column}' (các cột có: {found})",
                           "en": "required column '{column}' is missing (columns found: {found})"},
    "fix.missing_column": {
        "vi": "đổi tên cột thành '{column}' hoặc một tên tương đương ({aliases}), hoặc khai báo "
              "trong carework.toml: [columns.{table}] \"Tên cột của bạn\" = \"{column}\"",
        "en": "rename the column to '{column}' or an equivalent ({aliases}), or map it in "
              "carework.toml: [columns.{table}] \"Your header\" = \"{column}\""},
    "err.double_column": {"vi": "nhiều cột cùng mang nghĩa '{column}': {headers}",
                          "en": "several columns mean '{column}': {headers}"},
    "fix.double_column": {"vi": "đổi tên hoặc xoá bớt để chỉ còn một cột",
                          "en": "rename or remove all but one of them"},
    "err.ambiguous_dates": {
        "vi": "cột '{column}' có ngày đọc được theo cả hai kiểu ngày/tháng và tháng/ngày "
              "(ví dụ '{example}')",
        "en": "column '{column}' has dates that read both as day/month and month/day "
              "(e.g. '{example}')"},
    "fix.ambiguous_dates": {
        "vi": "cho biết kiểu ngày: ghi 'dayfirst = true' (ngày/tháng/năm) hoặc 'dayfirst = false' "
              "vào carework.toml trong thư mục dữ liệu, hoặc dùng --dayfirst / --monthfirst",
        "en": "say which: put 'dayfirst = true' (dd/mm/yyyy) or 'dayfirst = false' in "
              "carework.toml in the data folder, or pass --dayfirst / --monthfirst"},
    "err.mixed_dates": {
        "vi": "cột '{column}' trộn lẫn ngày/tháng ('{dmy}', dòng {dmy_row}) và tháng/ngày "
              "('{mdy}', dòng {mdy_row})",
        "en": "column '{column}' mixes day/month ('{dmy}', row {dmy_row}) and month/day "
              "('{mdy}', row {mdy_row})"},
    "fix.mixed_dates": {"vi": "thống nhất một kiểu ngày cho cả cột rồi nạp lại",
                        "en": "write the whole column in one date order and load again"},
    "err.mixed_numbers": {
        "vi": "cột '{column}' trộn lẫn kiểu số Việt ('{vn}', dòng {vn_row}) và kiểu Anh "
              "('{en}', dòng {en_row})",
        "en": "column '{column}' mixes Vietnamese ('{vn}', row {vn_row}) and English "
              "('{en}', row {en_row}) number formats"},
    "fix.mixed_numbers": {
        "vi": "dùng một kiểu cho cả cột: 1.250.000 hoặc 1,250,000",
        "en": "write the whole column one way: 1.250.000 or 1,250,000"},
    "err.all_rejected": {
        "vi": "không còn dòng nào dùng được: cả {rows} dòng bị loại, chủ yếu vì "
              "'{reason}' ở cột '{column}' (ví dụ dòng {row}: '{value}')",
        "en": "no usable rows: all {rows} rows were set aside, mostly for "
              "'{reason}' in column '{column}' (e.g. row {row}: '{value}')"},
    "fix.all_rejected": {"vi": "sửa định dạng của cột này rồi nạp lại",
                         "en": "fix that column's format and load again"},
    "err.config": {"vi": "carework.toml: {detail}", "en": "carework.toml: {detail}"},
    "fix.config": {
        "vi": "các khoá hợp lệ: dayfirst (true/false), [columns.<bảng>] \"tên cột\" = \"tên chuẩn\"",
        "en": "valid keys: dayfirst (true/false), [columns.<table>] \"header\" = \"canonical\""},
    # --- plots ----------------------------------------------------------------------------------
    "plot.tet": {"vi": "Tết", "en": "Tết (Lunar New Year)"},
    "plot.month": {"vi": "Tháng", "en": "Month"},
    "plot.revenue_vnd": {"vi": "Doanh thu (triệu đồng)", "en": "Revenue (million VND)"},
    "plot.monthly_title": {"vi": "Doanh thu theo tháng", "en": "Revenue per month"},
    "plot.nps_score": {"vi": "Điểm sẵn lòng giới thiệu (0–10)", "en": "Likelihood to recommend (0–10)"},
    "plot.answers": {"vi": "Số câu trả lời", "en": "Answers"},
    "plot.nps_title": {"vi": "Phân bố điểm NPS", "en": "NPS score distribution"},
    "nps.detractor": {"vi": "Không hài lòng (0–6)", "en": "Detractors (0–6)"},
    "nps.passive": {"vi": "Trung lập (7–8)", "en": "Passives (7–8)"},
    "nps.promoter": {"vi": "Ủng hộ (9–10)", "en": "Promoters (9–10)"},
    "plot.churn_risk": {"vi": "Nguy cơ không mua lại", "en": "Churn risk"},
    "plot.recency_days": {"vi": "Ngày từ lần mua đầu đến lần mua gần nhất", "en": "Days from first to latest purchase"},
    "plot.repeat_purchases": {"vi": "Số lần mua lại", "en": "Repeat purchases"},
    "plot.risk_title": {"vi": "Nguy cơ không mua trong {days} ngày tới", "en": "Risk of no purchase in the next {days} days"},
    "plot.p_alive": {"vi": "Xác suất còn là khách", "en": "P(alive)"},
    "plot.alive_title": {"vi": "Xác suất khách vẫn còn gắn bó, theo số lần mua lại và lần mua gần nhất", "en": "Probability the customer is still active, by repeat purchases and recency"},
    "plot.actual": {"vi": "Thực tế", "en": "Actual"},
    "plot.predicted": {"vi": "Mô hình dự báo", "en": "Predicted"},
    "plot.repeat_purchases_calibration": {"vi": "Số lần mua lại trong giai đoạn học", "en": "Repeat purchases in the calibration period"},
    "plot.holdout_purchases": {"vi": "Số lần mua trung bình giai đoạn kiểm tra", "en": "Mean purchases in the holdout"},
    "plot.holdout_title": {"vi": "Kiểm tra mô hình trên {days} ngày gần nhất", "en": "Model check on the last {days} days"},
    "plot.customers": {"vi": "Số khách hàng", "en": "Customers"},
    "plot.period_title": {"vi": "Khách theo số lần mua lại: thực tế và mô hình", "en": "Customers by repeat purchases: actual vs model"},
    "plot.pc1": {"vi": "Thành phần chính 1", "en": "Principal component 1"},
    "plot.pc2": {"vi": "Thành phần chính 2", "en": "Principal component 2"},
    "plot.cluster_map_title": {"vi": "Bản đồ khách hàng theo hành vi (mỗi chấm là một khách)", "en": "Customers by behaviour (one dot per customer)"},
    "plot.share_of_group": {"vi": "Tỷ lệ trong nhóm", "en": "Share of the group"},
    "plot.rules_vs_clusters_title": {"vi": "Nhóm theo quy tắc (hàng) và cụm hành vi (cột): số khách", "en": "Rule groups (rows) and behaviour clusters (columns): customers"},
    "plot.customer_share": {"vi": "Tỷ lệ khách", "en": "Share of customers"},
    "plot.revenue_share": {"vi": "Tỷ lệ doanh thu", "en": "Share of revenue"},
    "plot.reason_mix_title": {"vi": "Danh sách gọi theo lý do", "en": "Call list by reason"},
    "plot.gain.list": {"vi": "Theo danh sách gọi", "en": "Call list order"},
    "plot.gain.rules": {"vi": "VIP trước, rồi khách thường xuyên", "en": "VIP first, then regulars"},
    "plot.gain.random": {"vi": "Ngẫu nhiên", "en": "Random"},
    "plot.share_called": {"vi": "Tỷ lệ khách được gọi", "en": "Share of customers called"},
    "plot.share_revenue": {"vi": "Tỷ lệ doanh thu kỳ sau", "en": "Share of next-period revenue"},
    "plot.gain_title": {"vi": "Kiểm tra lại trên quá khứ: gọi ai thì giữ được doanh thu?", "en": "Backtest: whom to call to capture next-period revenue"},
    "plot.date": {"vi": "Ngày", "en": "Date"},
    "plot.cumulative_repeat": {"vi": "Số lần mua lại cộng dồn", "en": "Cumulative repeat purchases"},
    "plot.tracking_title": {"vi": "Thực tế và dự báo (đường chấm: hết giai đoạn học)", "en": "Actual vs predicted (dotted: end of calibration)"},
    # --- dashboards -------------------------------------------------------------------------------
    "churn.horizon": {"vi": "Dự báo cho (ngày tới)", "en": "Forecast horizon (days)"},
    "churn.computing": {"vi": "Đang tính…", "en": "Computing…"},
    "churn.customers": {"vi": "Khách đã mua", "en": "Customers scored"},
    "churn.expected_purchases": {"vi": "Lượt mua dự kiến", "en": "Expected purchases"},
    "churn.high_risk": {"vi": "Khách nguy cơ cao (≥70%)", "en": "High risk (≥70%)"},
    "churn.predicted_clv": {"vi": "Giá trị dự kiến (CLV)", "en": "Predicted value (CLV)"},
    "churn.sort": {"vi": "Sắp xếp theo", "en": "Sort by"},
    "churn.sort.value_at_risk": {"vi": "Giá trị có nguy cơ mất", "en": "Value at risk"},
    "churn.sort.churn_risk": {"vi": "Nguy cơ không mua lại", "en": "Churn risk"},
    "churn.sort.total_clv": {"vi": "Tổng giá trị khách hàng", "en": "Total customer value"},
    "churn.sort.expected_next_purchase": {"vi": "Ngày dự kiến mua tiếp", "en": "Expected next purchase"},
    "churn.model": {"vi": "Mô hình", "en": "Model"},
    "churn.model.bgnbd": {"vi": "BG/NBD (mặc định)", "en": "BG/NBD (default)"},
    "churn.model.pnbd": {"vi": "Pareto/NBD", "en": "Pareto/NBD"},
    "churn.model.mbgnbd": {"vi": "MBG/NBD", "en": "MBG/NBD"},
    "churn.fitting": {"vi": "Đang khớp mô hình", "en": "Fitting the model"},
    "churn.matrix.churn_risk": {"vi": "Nguy cơ không mua lại", "en": "Churn risk"},
    "churn.matrix.p_alive": {"vi": "Xác suất còn là khách", "en": "P(alive)"},
    "churn.checks": {"vi": "Mô hình có đáng tin không? (kiểm tra trên dữ liệu thật)", "en": "Can the model be trusted? (checks on the data)"},
    "churn.checks_note": {"vi": "Mô hình được học trên dữ liệu trừ {days} ngày cuối, rồi so với những gì khách thực sự đã mua trong {days} ngày đó.", "en": "The model learns from the data without the last {days} days, then is compared with what customers actually bought in those days."},
    "churn.no_holdout": {"vi": "Lịch sử mua hàng ngắn hơn {days} × 2 ngày: chưa đủ để kiểm tra mô hình trên giai đoạn giữ lại.", "en": "The purchase history is shorter than 2 × {days} days: too short to check the model on a held-out period."},
    "churn.table_title": {"vi": "{rows} khách hàng cần chú ý", "en": "{rows} customers to look at"},
    "churn.download": {"vi": "Tải bảng điểm ({rows:,} khách, {format})", "en": "Download the scores ({rows:,} customers, {format})"},
    "head.customer_id": {"vi": "Mã KH", "en": "Customer"},
    "head.name": {"vi": "Họ tên", "en": "Name"},
    "head.churn_risk": {"vi": "Nguy cơ không mua", "en": "Churn risk"},
    "head.p_alive": {"vi": "Còn là khách", "en": "P(alive)"},
    "head.expected_next_purchase": {"vi": "Dự kiến mua tiếp", "en": "Next purchase (expected)"},
    "head.historic_clv": {"vi": "Đã chi", "en": "Spent so far"},
    "head.predicted_clv": {"vi": "Giá trị dự kiến", "en": "Predicted value"},
    "head.value_at_risk": {"vi": "Giá trị có nguy cơ mất", "en": "Value at risk"},
    "dash.all": {"vi": "Tất cả", "en": "All"},
    "dash.province": {"vi": "Tỉnh/thành", "en": "Province"},
    "dash.channel": {"vi": "Kênh mua", "en": "Sales channel"},
    "dash.ticket_channel": {"vi": "Kênh tiếp nhận", "en": "Ticket channel"},
    "dash.data_source": {"vi": "Nguồn dữ liệu: {source} ({start} – {end}), nạp lúc {loaded}", "en": "Data: {source} ({start} – {end}), loaded at {loaded}"},
    "dash.data_problem": {"vi": "Không dùng được dữ liệu", "en": "The data cannot be used"},
    "dash.rows_set_aside": {"vi": "{rows:,} dòng bị loại khi nạp dữ liệu (chạy 'carework validate' để xem lý do)", "en": "{rows:,} rows were set aside while loading (run 'carework validate' for the reasons)"},
    "dash.customers": {"vi": "Khách hàng", "en": "Customers"},
    "dash.buyers": {"vi": "Khách đã mua", "en": "Buyers"},
    "dash.prospects": {"vi": "Chưa mua", "en": "Not yet bought"},
    "dash.orders": {"vi": "Đơn hàng", "en": "Orders"},
    "dash.revenue": {"vi": "Doanh thu", "en": "Revenue"},
    "dash.repeat_share": {"vi": "Khách mua lại", "en": "Repeat buyers"},
    "dash.surveys": {"vi": "Lượt khảo sát", "en": "Survey answers"},
    "dash.tickets": {"vi": "Phiếu hỗ trợ", "en": "Tickets"},
    "dash.open_tickets": {"vi": "Phiếu đang mở", "en": "Open tickets"},
    "dash.by_source": {"vi": "Theo nguồn khách", "en": "By acquisition source"},
    "dash.by_province": {"vi": "Theo tỉnh/thành", "en": "By province"},
    "dash.last_months": {"vi": "12 tháng gần nhất", "en": "Last 12 months"},
    "dash.by_category": {"vi": "Phiếu hỗ trợ theo loại vấn đề", "en": "Tickets by issue"},
    "dash.latest_comments": {"vi": "Nhận xét mới nhất", "en": "Latest comments"},
    "dash.overview_note": {"vi": "Tổng quan dữ liệu. Phân tích chuyên sâu sẽ được bổ sung tại đây.", "en": "Data overview. The full analysis will appear here."},
    "dash.empty": {"vi": "Không có dữ liệu cho lựa chọn này.", "en": "No data for this selection."},
    "dash.no_table": {"vi": "Dữ liệu không có bảng {table}.", "en": "The data has no {table} table."},
    "head.customers": {"vi": "Khách hàng", "en": "Customers"},
    "head.buyers": {"vi": "Đã mua", "en": "Buyers"},
    "head.orders": {"vi": "Đơn", "en": "Orders"},
    "head.revenue": {"vi": "Doanh thu (đ)", "en": "Revenue (VND)"},
    "head.month": {"vi": "Tháng", "en": "Month"},
    "head.tickets": {"vi": "Phiếu", "en": "Tickets"},
    "head.open": {"vi": "Đang mở", "en": "Open"},
    "head.median_response_hours": {"vi": "Phản hồi đầu (giờ, trung vị)", "en": "First response (hours, median)"},
    "head.answered_at": {"vi": "Ngày", "en": "Date"},
    "head.nps": {"vi": "NPS", "en": "NPS"},
    "head.comment": {"vi": "Nhận xét", "en": "Comment"},
    "head.acquisition_source": {"vi": "Nguồn khách", "en": "Source"},
    "head.province": {"vi": "Tỉnh/thành", "en": "Province"},
    "head.category": {"vi": "Loại vấn đề", "en": "Issue"},
    "value.referral": {"vi": "Được giới thiệu", "en": "Referral"},
    "value.friend_family": {"vi": "Bạn bè, người thân", "en": "Friends & family"},
    "value.ads": {"vi": "Quảng cáo", "en": "Ads"},
    "value.walk_in": {"vi": "Khách vãng lai", "en": "Walk-in"},
    "value.online": {"vi": "Trực tuyến", "en": "Online"},
    "value.store": {"vi": "Cửa hàng", "en": "Store"},
    "value.phone": {"vi": "Điện thoại", "en": "Phone"},
    "value.email": {"vi": "Email", "en": "Email"},
    "value.sms": {"vi": "Tin nhắn SMS", "en": "SMS"},
    "value.social": {"vi": "Mạng xã hội", "en": "Social media"},
    "value.web": {"vi": "Website/chat", "en": "Web/chat"},
    "title.segmentation": {"vi": "Phân khúc khách hàng", "en": "Customer segmentation"},
    "title.churn": {"vi": "Khách hàng rời bỏ và mua lại", "en": "Churn and repurchase"},
    "title.survey_kpis": {"vi": "Khảo sát và chỉ số chăm sóc khách hàng", "en": "Surveys and care KPIs"},
    "value.product_quality": {"vi": "Chất lượng sản phẩm", "en": "Product quality"},
    "value.product_design": {"vi": "Mẫu mã, thiết kế", "en": "Product design"},
    "value.packaging": {"vi": "Bao bì, đóng gói", "en": "Packaging"},
    "value.product_range": {"vi": "Chủng loại hàng", "en": "Product range"},
    "value.price": {"vi": "Giá cả", "en": "Price"},
    "value.warranty": {"vi": "Bảo hành, hậu mãi", "en": "Warranty, after-sales"},
    "value.delivery": {"vi": "Giao hàng", "en": "Delivery"},
    "value.payment": {"vi": "Thanh toán", "en": "Payment"},
    "value.store_location": {"vi": "Địa điểm cửa hàng", "en": "Store location"},
    "value.opening_hours": {"vi": "Giờ mở cửa", "en": "Opening hours"},
    "value.staff_attitude": {"vi": "Thái độ nhân viên", "en": "Staff attitude"},
    "value.staff_skills": {"vi": "Kỹ năng nhân viên", "en": "Staff skills"},
    # --- segmentation -------------------------------------------------------------------------
    "group.acquaintance": {"vi": "Khách quen", "en": "Acquaintance"},
    "group.regular": {"vi": "Khách thường xuyên", "en": "Regular"},
    "group.occasional": {"vi": "Khách vãng lai", "en": "Occasional"},
    "group.online": {"vi": "Khách mua online", "en": "Online"},
    "group.vip": {"vi": "Khách VIP", "en": "VIP"},
    "stage.prospect": {"vi": "Chưa mua", "en": "Prospect"},
    "stage.active": {"vi": "Đã mua", "en": "Has bought"},
    "stage.lapsed": {"vi": "Đã rời bỏ", "en": "Lapsed"},
    "loyalty.loyal": {"vi": "Khách trung thành", "en": "Loyal"},
    "loyalty.normal": {"vi": "Khách thông thường", "en": "Normal"},
    "age.under_15": {"vi": "Dưới 15 tuổi", "en": "Under 15"},
    "age.15_22": {"vi": "15–22 tuổi", "en": "15–22"},
    "age.22_50": {"vi": "22–50 tuổi", "en": "22–50"},
    "age.over_50": {"vi": "Trên 50 tuổi", "en": "Over 50"},
    "rfm.champions": {"vi": "Khách xuất sắc", "en": "Champions"},
    "rfm.loyal": {"vi": "Khách trung thành", "en": "Loyal"},
    "rfm.potential_loyalist": {"vi": "Có thể thành trung thành", "en": "Potential loyalist"},
    "rfm.new_customers": {"vi": "Khách mới", "en": "New customers"},
    "rfm.promising": {"vi": "Có triển vọng", "en": "Promising"},
    "rfm.need_attention": {"vi": "Cần quan tâm", "en": "Need attention"},
    "rfm.about_to_sleep": {"vi": "Sắp ngủ đông", "en": "About to sleep"},
    "rfm.at_risk": {"vi": "Có nguy cơ rời bỏ", "en": "At risk"},
    "rfm.cant_lose": {"vi": "Không thể để mất", "en": "Can't lose them"},
    "rfm.hibernating": {"vi": "Ngủ đông", "en": "Hibernating"},
    "rfm.lost": {"vi": "Đã mất", "en": "Lost"},
    "cluster.typical": {"vi": "khách điển hình", "en": "typical customers"},
    "cluster.spend.high": {"vi": "chi tiêu cao", "en": "high spend"},
    "cluster.spend.low": {"vi": "chi tiêu thấp", "en": "low spend"},
    "cluster.orders.high": {"vi": "mua nhiều lần", "en": "many purchases"},
    "cluster.orders.low": {"vi": "ít khi mua", "en": "few purchases"},
    "cluster.recency_days.high": {"vi": "lâu không quay lại", "en": "long since last purchase"},
    "cluster.recency_days.low": {"vi": "mới mua gần đây", "en": "bought recently"},
    "cluster.basket.high": {"vi": "giỏ hàng lớn", "en": "big baskets"},
    "cluster.basket.low": {"vi": "giỏ hàng nhỏ", "en": "small baskets"},
    "cluster.share_online.high": {"vi": "mua online", "en": "buys online"},
    "cluster.share_online.low": {"vi": "mua tại cửa hàng", "en": "buys in store"},
    "cluster.share_phone.high": {"vi": "đặt qua điện thoại", "en": "orders by phone"},
    "cluster.share_phone.low": {"vi": "ít đặt qua điện thoại", "en": "rarely by phone"},
    "cluster.churn_risk.high": {"vi": "nguy cơ rời bỏ cao", "en": "high churn risk"},
    "cluster.churn_risk.low": {"vi": "gắn bó", "en": "low churn risk"},
    "cluster.predicted_clv.high": {"vi": "giá trị tương lai cao", "en": "high future value"},
    "cluster.predicted_clv.low": {"vi": "giá trị tương lai thấp", "en": "low future value"},
    "cluster.tickets.high": {"vi": "hay khiếu nại", "en": "many tickets"},
    "cluster.tickets.low": {"vi": "ít khiếu nại", "en": "few tickets"},
    "cluster.nps_mean.high": {"vi": "rất hài lòng", "en": "very satisfied"},
    "cluster.nps_mean.low": {"vi": "chưa hài lòng", "en": "dissatisfied"},
    "cluster.gap_cv.high": {"vi": "mua thất thường", "en": "irregular buying"},
    "cluster.gap_cv.low": {"vi": "mua đều đặn", "en": "regular rhythm"},
    "cluster.tenure_days.high": {"vi": "khách lâu năm", "en": "long-standing"},
    "cluster.tenure_days.low": {"vi": "khách mới", "en": "new"},
    "finding.text": {"vi": "{customers:,} {group} thuộc cụm “{cluster}”: {details}.", "en": "{customers:,} {group} customers in the cluster “{cluster}”: {details}."},
    "finding.churn_risk": {"vi": "nguy cơ rời bỏ {cell} (phần còn lại của nhóm: {group})", "en": "churn risk {cell} (rest of the group: {group})"},
    "finding.recency_days": {"vi": "{cell} ngày chưa quay lại (phần còn lại của nhóm: {group})", "en": "{cell} days since the last purchase (rest of the group: {group})"},
    "finding.spend": {"vi": "chi tiêu {cell} mỗi khách (phần còn lại của nhóm: {group})", "en": "spend {cell} per customer (rest of the group: {group})"},
    "finding.nps_mean": {"vi": "điểm NPS trung bình {cell} (phần còn lại của nhóm: {group})", "en": "mean NPS score {cell} (rest of the group: {group})"},
    "finding.tickets": {"vi": "{cell} phiếu hỗ trợ mỗi khách (phần còn lại của nhóm: {group})", "en": "{cell} tickets per customer (rest of the group: {group})"},
    "seg.features": {"vi": "Đặc điểm dùng để phân cụm", "en": "Features to cluster on"},
    "seg.k": {"vi": "Số cụm", "en": "Clusters"},
    "seg.k_auto": {"vi": "Tự động", "en": "Automatic"},
    "seg.run": {"vi": "Phân cụm lại", "en": "Cluster again"},
    "seg.clustering": {"vi": "Đang phân cụm", "en": "Clustering"},
    "seg.customers": {"vi": "Khách đã mua", "en": "Customers"},
    "seg.clusters": {"vi": "Số cụm", "en": "Clusters"},
    "seg.stability": {"vi": "Độ ổn định (0–1)", "en": "Stability (0–1)"},
    "seg.ari": {"vi": "Trùng với nhóm quy tắc (0–1)", "en": "Agreement with rules (0–1)"},
    "seg.loyal_revenue": {"vi": "Doanh thu từ khách trung thành", "en": "Revenue from loyal customers"},
    "seg.findings": {"vi": "Điều các nhóm theo quy tắc chưa cho thấy", "en": "What the rule groups miss"},
    "seg.no_findings": {"vi": "Không thấy nhóm con nào khác biệt rõ so với nhóm của mình.", "en": "No part of a group stands out from the rest of it."},
    "seg.loyalty": {"vi": "Khách trung thành: {customers} số khách, {revenue} doanh thu (sổ tay ước khoảng 70% doanh thu).", "en": "Loyal customers: {customers} of customers, {revenue} of revenue (the handbook expects about 70% of revenue)."},
    "seg.stages": {"vi": "Giai đoạn mua hàng — {stages}.", "en": "Purchase stage — {stages}."},
    "seg.unavailable": {"vi": "Không phân được theo {name}: dữ liệu thiếu {needs}.", "en": "{name} is unavailable: the data has no {needs}."},
    "seg.class.acquaintance": {"vi": "nhóm khách quen", "en": "The acquaintance group"},
    "seg.class.online": {"vi": "nhóm khách online", "en": "The online group"},
    "seg.class.age_band": {"vi": "độ tuổi", "en": "Age band"},
    "seg.class.income_band": {"vi": "thu nhập", "en": "Income band"},
    "seg.tab_groups": {"vi": "Nhóm và RFM", "en": "Groups and RFM"},
    "seg.tab_clusters": {"vi": "Cụm hành vi", "en": "Behaviour clusters"},
    "seg.tab_compare": {"vi": "Quy tắc và cụm", "en": "Rules vs clusters"},
    "seg.value_title": {"vi": "Tỷ lệ khách và doanh thu theo nhóm", "en": "Share of customers and revenue per group"},
    "seg.profiles": {"vi": "Chân dung các cụm (giá trị trung bình)", "en": "Cluster profiles (means)"},
    "seg.download": {"vi": "Tải bảng phân khúc ({rows:,} khách, {format})", "en": "Download the segments ({rows:,} customers, {format})"},
    "seg.feature.log_spend": {"vi": "Tổng chi tiêu", "en": "Total spend"},
    "seg.feature.log_orders": {"vi": "Số lần mua", "en": "Purchases"},
    "seg.feature.log_basket": {"vi": "Giá trị giỏ hàng", "en": "Basket size"},
    "seg.feature.log_clv": {"vi": "Giá trị dự kiến (CLV)", "en": "Predicted value (CLV)"},
    "seg.feature.recency_days": {"vi": "Số ngày từ lần mua cuối", "en": "Days since last purchase"},
    "seg.feature.tenure_days": {"vi": "Thời gian là khách", "en": "Tenure"},
    "seg.feature.gap_cv": {"vi": "Độ đều đặn khi mua", "en": "Regularity of purchases"},
    "seg.feature.share_online": {"vi": "Tỷ lệ mua online", "en": "Share bought online"},
    "seg.feature.share_phone": {"vi": "Tỷ lệ đặt qua điện thoại", "en": "Share ordered by phone"},
    "seg.feature.churn_risk": {"vi": "Nguy cơ rời bỏ", "en": "Churn risk"},
    "seg.feature.tickets": {"vi": "Số phiếu hỗ trợ", "en": "Tickets"},
    "seg.feature.nps_mean": {"vi": "Điểm NPS trung bình", "en": "Mean NPS score"},
    "seg.feature.csat_mean": {"vi": "Điểm CSAT trung bình", "en": "Mean CSAT score"},
    "seg.feature.category": {"vi": "Tỷ lệ mua {category}", "en": "Share of {category}"},
    "head.rule_group": {"vi": "Nhóm", "en": "Group"},
    "head.rfm_segment": {"vi": "Phân khúc RFM", "en": "RFM segment"},
    "head.share": {"vi": "Tỷ lệ khách", "en": "Share"},
    "head.revenue_share": {"vi": "Tỷ lệ doanh thu", "en": "Revenue share"},
    "head.cluster_name": {"vi": "Cụm", "en": "Cluster"},
    "head.spend": {"vi": "Chi tiêu", "en": "Spend"},
    "head.recency_days": {"vi": "Ngày từ lần mua cuối", "en": "Days since last purchase"},
    "head.nps_mean": {"vi": "NPS TB", "en": "Mean NPS"},
    # --- call list ----------------------------------------------------------------------------
    "calls.agent": {"vi": "Nhân viên {n}", "en": "Agent {n}"},
    "calls.no_purchases": {"vi": "không có giao dịch nào tính đến ngày {date}", "en": "there are no purchases up to {date}"},
    "calls.no_scores": {"vi": "Chưa có điểm rời bỏ (giá trị tiền chỉ ước theo giỏ hàng): {why}", "en": "No churn scores (money values estimated from baskets only): {why}"},
    "calls.no_money_reasons": {"vi": "Không xét được: giá trị có nguy cơ mất, khách mới, khách cần kéo lại (cần điểm rời bỏ).", "en": "Not applied: value at risk, welcome, win-back (they need churn scores)."},
    "calls.no_customers": {"vi": "Dữ liệu không có bảng khách hàng: không kiểm tra được số điện thoại và yêu cầu không gọi — hãy kiểm tra trước khi gọi.", "en": "The data has no customers table: phone numbers and do-not-call could not be checked — check them before calling."},
    "calls.no_column": {"vi": "Dữ liệu không có cột {column}: quy tắc cần cột này chưa được áp dụng.", "en": "The data has no {column} column: the rule that needs it was not applied."},
    "calls.no_table": {"vi": "Dữ liệu không có bảng {table}: quy tắc cần bảng này chưa được áp dụng.", "en": "The data has no {table} table: the rules that need it were not applied."},
    "sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "sheet.date": {"vi": "Ngày gọi", "en": "Call date"},
    "sheet.agents": {"vi": "Số nhân viên", "en": "Agents"},
    "sheet.per_agent": {"vi": "Số cuộc gọi mỗi nhân viên", "en": "Calls per agent"},
    "sheet.listed": {"vi": "Khách trong danh sách", "en": "Customers listed"},
    "sheet.by_reason": {"vi": "Theo lý do (trong danh sách / đủ điều kiện)", "en": "By reason (listed / candidates)"},
    "sheet.reason_counts": {"vi": "{listed} / {candidates}", "en": "{listed} / {candidates}"},
    "sheet.excluded": {"vi": "Không gọi", "en": "Not called"},
    "sheet.excluded.do_not_call": {"vi": "Yêu cầu không gọi", "en": "Do not call"},
    "sheet.excluded.no_phone": {"vi": "Không có số điện thoại", "en": "No phone number"},
    "sheet.excluded.cooldown": {"vi": "Mới được liên hệ (thời gian nghỉ)", "en": "Contacted in the cool-down period"},
    "sheet.not_applied": {"vi": "Quy tắc chưa áp dụng được", "en": "Rules not applied"},
    "sheet.col.priority": {"vi": "Thứ tự", "en": "Priority"},
    "sheet.col.window": {"vi": "Khung giờ", "en": "Window"},
    "sheet.col.customer_id": {"vi": "Mã KH", "en": "Customer"},
    "sheet.col.name": {"vi": "Họ tên", "en": "Name"},
    "sheet.col.phone": {"vi": "Điện thoại", "en": "Phone"},
    "sheet.col.reason_label": {"vi": "Lý do gọi", "en": "Reason"},
    "sheet.col.talking_points": {"vi": "Nội dung trao đổi (4 bước)", "en": "Talking points (4 steps)"},
    "sheet.col.rule_group": {"vi": "Nhóm khách", "en": "Group"},
    "sheet.col.last_purchase": {"vi": "Mua gần nhất", "en": "Last purchase"},
    "reason.open_incident": {"vi": "Sự cố đang mở", "en": "Open incident"},
    "reason.closed_loop": {"vi": "Khách chưa hài lòng gần đây", "en": "Recently unhappy"},
    "reason.value_at_risk": {"vi": "Khách giá trị có nguy cơ rời bỏ", "en": "High value at risk"},
    "reason.due_for_repurchase": {"vi": "Đến hạn mua lại", "en": "Due for repurchase"},
    "reason.follow_up": {"vi": "Hỏi thăm sau mua một tuần", "en": "One-week follow-up"},
    "reason.birthday": {"vi": "Sinh nhật trong tuần", "en": "Birthday this week"},
    "reason.welcome": {"vi": "Chào mừng khách mới", "en": "New-customer welcome"},
    "reason.win_back": {"vi": "Kéo lại khách giá trị đã rời", "en": "Win back a valuable lapsed customer"},
    "factor.product": {"vi": "sản phẩm", "en": "product"},
    "factor.convenience": {"vi": "sự thuận tiện", "en": "convenience"},
    "factor.people": {"vi": "con người (nhân viên)", "en": "people (staff)"},
    "factor.other": {"vi": "khác", "en": "other"},
    "talk.recall": {"vi": "Nhắc lại: lần mua gần nhất {date}, nhóm hàng {category}.", "en": "Recall: last purchase on {date}, {category}."},
    "talk.recall_complaint": {"vi": "Khách từng phản ánh về {topic} (yếu tố {factor}) — xin lỗi và hỏi đã ổn chưa.", "en": "They complained about {topic} (a {factor} issue) — apologise and ask whether it is settled."},
    "talk.ask": {"vi": "Hỏi nhu cầu hiện tại; khách hay mua qua kênh: {channel}.", "en": "Ask what they need now; they usually buy through: {channel}."},
    "talk.answer_ticket": {"vi": "Giải đáp ngay phiếu {ticket} ({topic}) mở từ {date}: báo tiến độ và hẹn thời điểm xử lý xong.", "en": "Answer ticket {ticket} ({topic}), open since {date}: give its progress and when it will be solved."},
    "talk.answer_comment": {"vi": "Khách viết: “{comment}” (nguyên nhân: {factor}) — ghi nhận, giải thích và nói rõ cách khắc phục.", "en": "They wrote: “{comment}” (cause: {factor}) — acknowledge, explain and say how it will be fixed."},
    "talk.answer_score": {"vi": "Khách chấm {score} điểm mà không để lại nhận xét — hỏi điều gì chưa làm khách hài lòng.", "en": "They scored {score} without a comment — ask what disappointed them."},
    "talk.answer_none": {"vi": "Trả lời nhanh và chính xác mọi câu hỏi của khách.", "en": "Answer their questions quickly and exactly."},
    "talk.offer.open_incident": {"vi": "Sau khi xử lý xong, giới thiệu ưu đãi bù đắp nếu phù hợp.", "en": "Once it is solved, offer a goodwill gesture if fitting."},
    "talk.offer.closed_loop": {"vi": "Cảm ơn góp ý; giới thiệu cải tiến mới và một ưu đãi xin lỗi.", "en": "Thank them for the feedback; present what has improved and an apology offer."},
    "talk.offer.value_at_risk": {"vi": "Giới thiệu sản phẩm mới hợp nhu cầu và ưu đãi dành cho khách thân thiết.", "en": "Present new products that fit and an offer for loyal customers."},
    "talk.offer.due_for_repurchase": {"vi": "Nhắc đã đến lúc mua lại; giới thiệu hàng mới cùng nhóm.", "en": "Remind them it is time to restock; present what is new in the same range."},
    "talk.offer.follow_up": {"vi": "Hỏi sản phẩm vừa mua dùng có tốt không; hướng dẫn sử dụng, bảo hành.", "en": "Ask how the purchase works for them; explain use and warranty."},
    "talk.offer.birthday": {"vi": "Chúc mừng sinh nhật và tặng ưu đãi sinh nhật.", "en": "Wish them a happy birthday and give the birthday offer."},
    "talk.offer.welcome": {"vi": "Cảm ơn đã chọn cửa hàng; giới thiệu chương trình khách thân thiết.", "en": "Thank them for choosing us; present the loyalty programme."},
    "talk.offer.win_back": {"vi": "Nói cửa hàng nhớ khách; giới thiệu điểm mới và ưu đãi quay lại.", "en": "Say they are missed; present what is new and a welcome-back offer."},
    "callsui.date": {"vi": "Ngày gọi", "en": "Call date"},
    "callsui.agents": {"vi": "Số nhân viên", "en": "Agents"},
    "callsui.per_agent": {"vi": "Cuộc gọi mỗi người", "en": "Calls per agent"},
    "callsui.build": {"vi": "Lập danh sách", "en": "Build the list"},
    "callsui.building": {"vi": "Đang lập danh sách", "en": "Building the list"},
    "callsui.listed": {"vi": "Khách cần gọi", "en": "Customers to call"},
    "callsui.incidents": {"vi": "Sự cố đang mở", "en": "Open incidents"},
    "callsui.unhappy": {"vi": "Khách chưa hài lòng", "en": "Unhappy customers"},
    "callsui.excluded": {"vi": "Không được gọi", "en": "Not to be called"},
    "callsui.masked": {"vi": "Số điện thoại và email được che trên màn hình; bảng tải về có đầy đủ.", "en": "Phone numbers and emails are masked on screen; the downloaded sheet has them."},
    "callsui.download": {"vi": "Tải danh sách gọi (Excel, mỗi nhân viên một trang)", "en": "Download the call sheet (Excel, one sheet per agent)"},
    "tab.churn": {"vi": "Rời bỏ và mua lại", "en": "Churn and repurchase"},
    "tab.calls": {"vi": "Danh sách gọi hôm nay", "en": "Today's call list"},
    "head.agent": {"vi": "Nhân viên", "en": "Agent"},
    "head.window": {"vi": "Khung giờ", "en": "Window"},
    "head.priority": {"vi": "Thứ tự", "en": "Priority"},
    "head.phone": {"vi": "Điện thoại", "en": "Phone"},
    "head.reason_label": {"vi": "Lý do", "en": "Reason"},
    "head.talking_points": {"vi": "Nội dung trao đổi", "en": "Talking points"},
    # --- prediction readiness -----------------------------------------------------------------
    "ready.ok": {"vi": "Đủ dữ liệu để dự báo.", "en": "There is enough history for predictions."},
    "ready.not_ready": {"vi": "Chưa đủ dữ liệu để dự báo đáng tin:", "en": "Not enough history for predictions to be trusted:"},
    "ready.buyers": {"vi": "mới có {value} khách đã mua (cần ít nhất {threshold})", "en": "only {value} customers have bought (at least {threshold} needed)"},
    "ready.history_days": {"vi": "lịch sử mua hàng mới {value} ngày (cần ít nhất {threshold})", "en": "the purchase history covers {value} days (at least {threshold} needed)"},
    "ready.days_since_last_purchase": {"vi": "đơn gần nhất cách đây {value} ngày (dữ liệu cần mới hơn {threshold} ngày)", "en": "the latest order is {value} days old (data should be fresher than {threshold} days)"},
    "ready.repeat_buyers_3plus": {"vi": "mới có {value} khách mua từ 3 lần trở lên (cần ít nhất {threshold})", "en": "only {value} customers bought 3 or more times (at least {threshold} needed)"},
    "score.no_purchases": {"vi": "không có giao dịch nào đến ngày đã chọn", "en": "there are no purchases up to the chosen date"},
    "score.force": {"vi": "thu thập thêm dữ liệu, hoặc dùng --force nếu vẫn muốn xem các con số chưa đáng tin", "en": "collect more history, or pass --force to see numbers that should not be trusted"},
    "cli.scores_written": {"vi": "Đã ghi điểm của {rows:,} khách hàng vào {path}", "en": "Wrote scores for {rows:,} customers to {path}"},
    # --- CLI -----------------------------------------------------------------------------------
    "cli.error": {"vi": "carework: lỗi: {message}", "en": "carework: error: {message}"},
    "cli.report_title": {"vi": "Kiểm tra dữ liệu: {folder}", "en": "Data check: {folder}"},
    "cli.report_header": {"vi": "bảng|tệp|đã đọc|nhận|loại", "en": "table|file|read|accepted|rejected"},
    "cli.absent": {"vi": "(không có)", "en": "(absent)"},
    "cli.notes": {"vi": "giá trị đã sửa/để trống", "en": "values blanked or normalised"},
    "cli.ignored": {"vi": "Bỏ qua các tệp không thuộc bảng nào: {files}",
                    "en": "Ignored files that match no table: {files}"},
    "cli.ok": {"vi": "Dữ liệu dùng được.", "en": "The data is usable."},
    "cli.rejects_written": {"vi": "Đã ghi {rows} dòng bị loại vào {path}",
                            "en": "Wrote {rows} set-aside rows to {path}"},
    "serve.urls": {"vi": "Bảng điều khiển (chỉ mở được trên máy này):", "en": "Dashboards (reachable from this computer only):"},
    "serve.stop": {"vi": "Nhấn Ctrl-C để dừng.", "en": "Press Ctrl-C to stop."},
    "cli.segments_written": {"vi": "Đã ghi phân khúc của {rows:,} khách vào {path}", "en": "Wrote the segments of {rows:,} customers to {path}"},
    "cli.segments_summary": {"vi": "Số cụm: {k}; độ ổn định (ARI bootstrap): {stability:.2f}; mức trùng với nhóm theo quy tắc (ARI): {ari:.2f}", "en": "Clusters: {k}; stability (bootstrap ARI): {stability:.2f}; agreement with the rule groups (ARI): {ari:.2f}"},
    "cli.segments_unavailable": {"vi": "Không phân được nhóm {name}: dữ liệu thiếu {needs}", "en": "Cannot build {name}: the data has no {needs}"},
    "cli.model_saved": {"vi": "Đã lưu mô hình phân cụm vào {path}", "en": "Saved the clustering to {path}"},
    "cli.calls_written": {"vi": "Đã ghi danh sách gọi {rows:,} khách cho {agents} nhân viên vào {path}", "en": "Wrote the call list of {rows:,} customers for {agents} agents to {path}"},
    "cli.sample_written": {"vi": "Đã tạo dữ liệu mẫu trong {folder}: {summary}",
                           "en": "Sample data written to {folder}: {summary}"},
}


def _initial_language() -> str:
    lang = os.environ.get("CAREWORK_LANG", "vi").strip().lower()[:2]
    return lang if lang in LANGUAGES else "vi"


_language = _initial_language()


def get_language() -> str:
    """The current language code (``"vi"`` or ``"en"``)."""
    return _language


def set_language(lang: str) -> None:
    """Switch every later message to ``lang`` (``"vi"`` or ``"en"``)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _language = lang


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then restore the previous language."""
    previous = get_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language), formatted with ``params``.

    An unknown key raises ``KeyError``: a missing translation is a bug to catch in tests, not a
    label to show.
    """
    entry = MESSAGES[key]
    text = entry[lang or _language]
    return text.format(**params) if params else text


def label(value: object, prefix: str = "value") -> str:
    """The display label of a data value (``"walk_in"`` → ``"Khách vãng lai"``); values without
    a translation are shown as they are."""
    key = f"{prefix}.{value}"
    return t(key) if key in MESSAGES else str(value)


def _missing(value: object) -> bool:
    import pandas as pd  # not at import time: the CLI starts without pandas

    return bool(pd.isna(value))


def fmt_number(value: float) -> str:
    """Thousands with dots, the Vietnamese way (``1.250.000``)."""
    if _missing(value):
        return "–"
    return f"{value:,.0f}".replace(",", ".")


def fmt_vnd(value: float) -> str:
    """Money in short Vietnamese units: ``1,3 tỷ``, ``250 tr``, ``85.000 đ``."""
    if _missing(value):
        return "–"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.1f} tỷ".replace(".", ",")
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.0f} tr".replace(",", ".")
    return f"{fmt_number(value)} đ"


def fmt_decimal(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals, with the decimal comma in Vietnamese (``3,9``)."""
    if _missing(value):
        return "–"
    text = f"{value:,.{digits}f}"
    if get_language() == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text
