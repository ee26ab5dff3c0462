"""The words of survey comments: complaint templates per topic, praise, neutral remarks, slang.

Templates use ``{a|b|c}`` for a choice of words, ``{sp}`` for a product word ("sản phẩm",
"hàng" or a noun of the purchase's category) and ``{noun}`` for a product noun. Complaint
templates are keyed by ticket topic (:data:`carework.sample.tickets.TOPICS`).
"""

from __future__ import annotations

__all__ = ["CLOSERS", "COMPLAINTS", "HANDLING", "NEUTRAL", "OPENERS", "PRAISE",
           "PRODUCT_NOUNS", "SLANG"]

PRODUCT_NOUNS = (  # per product category, in CATEGORIES order
    ("kem chống nắng", "son", "sữa rửa mặt", "serum", "nước hoa", "kem dưỡng"),
    ("áo", "quần jean", "váy", "giày", "túi xách", "áo khoác"),
    ("nồi chiên", "chảo", "máy xay", "bộ nồi", "bình giữ nhiệt", "quạt"),
    ("bánh", "trái cây", "sữa", "hạt điều", "cà phê", "đồ khô"),
    ("tã", "sữa bột", "bình sữa", "xe đẩy", "đồ chơi", "khăn ướt"),
    ("tai nghe", "sạc dự phòng", "loa bluetooth", "đồng hồ thông minh", "chuột", "cáp sạc"),
)
COMPLAINTS: dict[str, tuple[str, ...]] = {
    "product_quality": (
        "{sp} dùng {được vài ngày|chưa được 1 tuần|mới 2 lần} đã {hỏng|hư|bị lỗi}",
        "chất lượng {sp} {kém|tệ|quá tệ}, {không như quảng cáo|không đáng tiền|không giống mô tả}",
        "{sp} nhận về bị {lỗi|trầy xước|bể|rách}, {không dùng được|phải đem đổi|rất bực}",
        "{hàng|đồ} {kém chất lượng|dởm|như hàng chợ} mà giá {không rẻ|cao}",
        "{sp} {bị lỗi|hư} ngay lần đầu dùng, quality {tệ|kém}",
    ),
    "product_design": (
        "{mẫu mã|kiểu dáng} {xấu|không đẹp|lỗi thời}, {không giống hình|nhìn rẻ tiền}",
        "thiết kế {bất tiện|khó dùng|không hợp lý}, {dùng rất mệt|không biết dùng sao}",
        "màu {sp} {khác|không giống} {trên web|hình quảng cáo|lúc xem ở cửa hàng}",
        "{size|kích thước} {không chuẩn|lệch bảng size|quá nhỏ so với mô tả}",
    ),
    "packaging": (
        "đóng gói {sơ sài|cẩu thả|quá ẩu}, {hộp bị móp|hàng bị móp méo|không có chống sốc}",
        "{bao bì|hộp} {rách|bị bẩn|bị ướt} khi nhận",
        "{hàng|đồ} bị {đổ|vỡ|bể} vì đóng gói {không kỹ|kém}",
        "hộp {sp} {móp méo|bẹp dí}, nhìn như hàng {cũ|đã qua sử dụng}",
    ),
    "product_range": (
        "{ít|không nhiều} mẫu để {chọn|lựa chọn}",
        "{hay|thường xuyên} hết hàng, {muốn mua mà không có|hỏi lần nào cũng hết}",
        "{cửa hàng|shop} không có {size|màu} {mình cần|tôi cần}",
        "thiếu {nhiều mặt hàng|hàng mới|mẫu mới}, {phải mua chỗ khác|chán}",
    ),
    "price": (
        "giá {cao hơn|đắt hơn} {chỗ khác|trên sàn|cửa hàng khác} {nhiều|khá nhiều}",
        "giá {đắt quá|hơi chát|không hợp lý} so với chất lượng",
        "tính tiền {sai|nhầm}, giá trên kệ khác {lúc thanh toán|trên hóa đơn}",
        "khuyến mãi {không như quảng cáo|ảo|không áp dụng được}",
    ),
    "warranty": (
        "bảo hành {quá lâu|lâu quá}, {gửi đi cả tháng|gần 3 tuần} {chưa có|vẫn chưa nhận lại}",
        "{không chịu|từ chối} bảo hành, {bắt trả phí|đổ lỗi cho khách}",
        "đổi trả {rất rắc rối|phức tạp|mất thời gian}",
        "{hỏi|liên hệ} bảo hành {mấy lần|nhiều lần} không ai {xử lý|giải quyết}",
    ),
    "delivery": (
        "giao hàng {chậm|quá chậm|trễ}, {đợi|chờ} {cả tuần|5 ngày|gần 1 tuần} "
        "{mới nhận được|mới tới}",
        "người giao hàng {giao trễ hẹn|không gọi trước|thái độ không tốt}",
        "giao {sai hàng|thiếu hàng|nhầm màu}",
        "đơn hàng {bị thất lạc|báo đã giao mà chưa nhận|bị hủy không báo}",
        "ship delay {mấy|vài} ngày, {không ai báo|hỏi thì không biết}",
    ),
    "payment": (
        "thanh toán {bằng thẻ|qua ví|chuyển khoản} {bị lỗi|không được}",
        "{chuyển khoản|thanh toán} rồi mà đơn vẫn báo chưa thanh toán",
        "bị trừ tiền {hai lần|2 lần}, {chưa được hoàn|đợi hoàn mãi}",
        "{không nhận|không hỗ trợ} {thanh toán thẻ|quẹt thẻ|ví điện tử}",
    ),
    "store_location": (
        "cửa hàng {khó tìm|khuất|khó thấy}, {không có chỗ đậu xe|không có bảng hiệu rõ}",
        "chỗ để xe {chật|không có|phải gửi xa}",
        "cửa hàng {xa|ở xa}, đi lại {bất tiện|mất công}",
    ),
    "opening_hours": (
        "cửa hàng đóng cửa {sớm quá|quá sớm}",
        "đến lúc {8h tối|7h30 tối|chủ nhật} {đã đóng cửa|mà đóng cửa}",
        "giờ mở cửa {không đúng như trên mạng|thất thường|không cố định}",
    ),
    "staff_attitude": (
        "nhân viên {thái độ|phục vụ} {khó chịu|không tốt|thiếu tôn trọng khách}",
        "nhân viên {nói chuyện|trả lời} {cộc lốc|nhát gừng|thiếu lịch sự}",
        "{hỏi|nhắn} mà nhân viên {không thèm trả lời|làm lơ|cứ bấm điện thoại}",
        "{đứng|đợi} {lâu|mãi} không ai {tư vấn|hỗ trợ|để ý}",
    ),
    "staff_skills": (
        "nhân viên tư vấn {sai|không đúng|lung tung}",
        "nhân viên {không nắm|không hiểu} {thông tin sản phẩm|chính sách đổi trả|giá}",
        "hỏi gì cũng không biết, phải {chờ|đợi} hỏi quản lý",
        "{tổng đài viên|nhân viên} xử lý {lóng ngóng|chậm chạp|không chuyên nghiệp}",
    ),
}
# Complaints about slow handling, added to a complaint when its ticket was slow.
HANDLING = (
    "gọi tổng đài {mãi|nhiều lần} không ai {nghe|bắt máy}",
    "khiếu nại {mấy|3|4|5} ngày rồi {vẫn chưa|mà chưa} được giải quyết",
    "phản hồi {quá chậm|chậm quá|rất chậm}",
    "{nhắn|inbox} fanpage {cả ngày|2 ngày} không ai trả lời",
    "hẹn gọi lại mà {không thấy gọi|không gọi}",
    "xử lý khiếu nại {quá lâu|lằng nhằng|không dứt điểm}",
)
OPENERS = ("thất vọng", "lần này {không hài lòng|rất không hài lòng}", "chán thật", "góp ý",
            "mua {noun} lần này", "nói thật là", "lần đầu gặp chuyện này")
CLOSERS = ("mong shop {cải thiện|xem lại|khắc phục}", "sẽ không quay lại",
            "{rất|quá} thất vọng", "đề nghị xử lý sớm", "{buồn|tiếc} ghê", "cần xem lại")
PRAISE = (
    "{sp} {tốt|rất tốt|xịn}, {đúng như mô tả|đáng tiền|dùng thích}",
    "nhân viên {nhiệt tình|dễ thương|vui vẻ|chu đáo}",
    "giao hàng {nhanh|siêu nhanh|đúng hẹn}, đóng gói {cẩn thận|kỹ}",
    "giá {hợp lý|tốt|phải chăng}",
    "tư vấn {rất có tâm|kỹ|nhiệt tình}",
    "sẽ {giới thiệu cho bạn bè|ủng hộ tiếp|quay lại}",
    "mua {nhiều lần|mấy lần} rồi, lần nào cũng {ưng|hài lòng}",
    "cảm ơn {shop|cửa hàng|bạn nhân viên}",
    "{hàng|đồ} chất lượng, {ok|rất ok|tuyệt vời}",
    "cửa hàng {sạch đẹp|gọn gàng|dễ tìm}",
    "{sp} ok, service {tốt|chu đáo}",
)
NEUTRAL = (
    "{tạm được|tạm ổn|cũng được}",
    "bình thường, không có gì {đặc biệt|để nói}",
    "giá hơi cao nhưng chất lượng {được|ổn}",
    "{ok|ổn}",
    "hàng ổn, giao {hơi lâu|hơi chậm}",
    "không có ý kiến",
    "{sp} {dùng tạm|cũng tạm}, để dùng thêm xem sao",
)
# Written form → slang and abbreviations that replace it.
SLANG = {
    "người giao hàng": ("shipper", "ship"),
    "không": ("k", "ko", "hong", "hok", "ko"),
    "được": ("dc", "đc", "đk"),
    "sản phẩm": ("sp",),
    "nhân viên": ("nv", "nv", "nhân viên"),
    "giao hàng": ("ship", "giao hàng", "giao"),
    "quá": ("wá", "qá", "quá"),
    "cảm ơn": ("thanks", "cám ơn", "tks", "thank you"),
    "gì": ("j",),
    "trả lời": ("rep", "trả lời"),
    "tốt": ("good", "tốt"),
    "bình thường": ("bt", "bình thường", "normal"),
    "nhắn": ("ib", "nhắn", "inbox"),
    "rồi": ("r", "rồi"),
    "khuyến mãi": ("km", "sale"),
    "thanh toán": ("tt", "thanh toán", "payment"),
    "vẫn": ("vẫn", "vân"),
}
