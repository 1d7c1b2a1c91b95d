import { CLAUSES } from '../../core/iso/clauses';

/**
 * The standard question library: questions an internal auditor of a state administrative office asks, per leaf
 * clause of ISO 9001:2015 (TCVN ISO 9001:2015), in Vietnamese and English. Written for an office that settles
 * administrative procedures (TTHC) through its one-stop unit (Bộ phận Một cửa) and the electronic dossier system.
 * Laws and agencies are named as "the regulations in force" (quy định hiện hành): their numbers change.
 *
 * Clause 8.3 (design and development of products and services) is not applicable in an administrative office:
 * the procedures, their dossier components and time limits are set by law, not designed by the office, so the
 * office declares 8.3 "không áp dụng" in its scope and the library has no question for it.
 *
 * This file is data only (one line per question), so it is longer than the usual file.
 */
export const NOT_APPLICABLE_CLAUSES: readonly string[] = ['8.3'];

const isUnder = (clause: string, parent: string) => clause === parent || clause.startsWith(`${parent}.`);

/** Every leaf clause (no sub-clause) of chapters 4 to 10 except the not-applicable ones, in document order. */
export const APPLICABLE_CLAUSES: readonly string[] = CLAUSES.filter(
  (c) => !CLAUSES.some((d) => d.parent === c.clause) && !NOT_APPLICABLE_CLAUSES.some((na) => isUnder(c.clause, na)),
).map((c) => c.clause);

export interface SeedQuestion {
  clause: string;
  vi: string;
  en: string;
}

type Row = [clause: string, vi: string, en: string];

// prettier-ignore
const ROWS: Row[] = [
  ['4.1', 'Cơ quan có xác định các vấn đề bên trong và bên ngoài (thay đổi quy định hiện hành, biên chế, chuyển đổi số) ảnh hưởng đến việc giải quyết TTHC không?', 'Has the office determined the internal and external issues (changes to the regulations in force, staffing, digital transformation) that affect the settlement of administrative procedures?'],
  ['4.1', 'Các vấn đề bên trong và bên ngoài có được xem xét lại ít nhất một lần trong năm, có biên bản hoặc hồ sơ ghi nhận không?', 'Are the internal and external issues reviewed at least once a year, with minutes or a record of it?'],
  ['4.1', 'Khi quy định hiện hành về TTHC thay đổi, cơ quan có cập nhật bối cảnh và các quy trình bị ảnh hưởng không?', 'When the regulations in force on administrative procedures change, does the office update its context and the procedures affected?'],
  ['4.2', 'Cơ quan có lập danh sách các bên quan tâm (người dân, tổ chức, cơ quan cấp trên, cơ quan phối hợp) và yêu cầu của từng bên không?', 'Has the office listed its interested parties (citizens, organisations, the higher authority, cooperating agencies) and the requirements of each?'],
  ['4.2', 'Yêu cầu của các bên quan tâm có được theo dõi và cập nhật khi có phản ánh, kiến nghị hoặc văn bản chỉ đạo mới không?', 'Are the requirements of interested parties monitored and updated when feedback or new directives arrive?'],
  ['4.2', 'Các yêu cầu của người dân về thời hạn, thành phần hồ sơ và phí, lệ phí có được phản ánh đầy đủ trong quy trình không?', 'Are citizens\' requirements on time limits, dossier components, fees and charges fully reflected in the procedures?'],
  ['4.3', 'Phạm vi áp dụng HTQLCL có được công bố bằng văn bản, nêu rõ các lĩnh vực TTHC và các điều khoản không áp dụng kèm lý do không?', 'Is the scope of the QMS documented, naming the fields of administrative procedures covered and the clauses not applicable with the reasons?'],
  ['4.3', 'Danh mục TTHC trong phạm vi HTQLCL có khớp với danh mục TTHC đang được công bố và niêm yết tại Bộ phận Một cửa không?', 'Does the list of procedures in the QMS scope match the list currently published and posted at the one-stop unit?'],
  ['4.3', 'Khi có TTHC mới được công bố, phạm vi HTQLCL có được cập nhật và công bố lại kịp thời không?', 'When a new administrative procedure is published, is the scope of the QMS updated and re-declared in time?'],
  ['4.4', 'Mỗi TTHC trong phạm vi có quy trình giải quyết được ban hành, nêu rõ trình tự, trách nhiệm và thời gian từng bước không?', 'Does each procedure in scope have an issued settlement procedure stating the steps, responsibilities and time of each step?'],
  ['4.4', 'Tổng thời gian các bước trong quy trình có bằng hoặc ít hơn thời hạn giải quyết theo quy định hiện hành không?', 'Is the total time of the steps in the procedure equal to or less than the time limit set by the regulations in force?'],
  ['4.4', 'Quy trình trên Hệ thống thông tin giải quyết TTHC có được cấu hình đúng các bước như quy trình ISO đã ban hành không?', 'Is the procedure configured in the electronic dossier system with the same steps as the issued ISO procedure?'],
  ['5.1.1', 'Lãnh đạo cơ quan có chủ trì hoặc tham dự cuộc họp xem xét của lãnh đạo về HTQLCL trong năm, có biên bản không?', 'Did the head of the office chair or attend the management review of the QMS this year, with minutes?'],
  ['5.1.1', 'Lãnh đạo có phân công cán bộ phụ trách ISO và bố trí nguồn lực cho việc duy trì HTQLCL bằng văn bản không?', 'Has the leadership appointed a quality officer in writing and allocated resources to maintain the QMS?'],
  ['5.1.1', 'Lãnh đạo có chỉ đạo xử lý các điểm không phù hợp của kỳ đánh giá trước và theo dõi kết quả khắc phục không?', 'Has the leadership directed the handling of the previous audit\'s nonconformities and followed up their correction?'],
  ['5.1.2', 'Lãnh đạo có theo dõi tỷ lệ hồ sơ giải quyết đúng hạn và kết quả khảo sát sự hài lòng của người dân, tổ chức không?', 'Does the leadership monitor the rate of dossiers settled on time and the results of citizen and organisation satisfaction surveys?'],
  ['5.1.2', 'Các phản ánh, kiến nghị của người dân có được lãnh đạo giao xử lý và trả lời trong thời hạn quy định không?', 'Is citizen feedback assigned by the leadership and answered within the time set?'],
  ['5.1.2', 'Rủi ro làm chậm trễ việc trả kết quả cho người dân có được lãnh đạo xác định và có biện pháp xử lý không?', 'Has the leadership identified the risks of delaying results to citizens, with measures to address them?'],
  ['5.2.1', 'Chính sách chất lượng có được lãnh đạo cao nhất ký ban hành và phù hợp với chức năng, nhiệm vụ của cơ quan không?', 'Is the quality policy signed by top management and suited to the office\'s functions and duties?'],
  ['5.2.1', 'Chính sách chất lượng có nêu cam kết đáp ứng yêu cầu của người dân và cải tiến liên tục HTQLCL không?', 'Does the quality policy commit to meeting citizens\' requirements and to continual improvement of the QMS?'],
  ['5.2.1', 'Chính sách chất lượng có được xem xét lại khi chức năng, nhiệm vụ hoặc tổ chức bộ máy của cơ quan thay đổi không?', 'Is the quality policy reviewed when the office\'s functions, duties or organisation change?'],
  ['5.2.2', 'Chính sách chất lượng có được niêm yết tại Bộ phận Một cửa và đăng trên trang thông tin điện tử của cơ quan không?', 'Is the quality policy posted at the one-stop unit and published on the office\'s website?'],
  ['5.2.2', 'Cán bộ, công chức được phỏng vấn có nêu được nội dung chính của chính sách chất lượng không?', 'Can the staff interviewed state the main points of the quality policy?'],
  ['5.2.2', 'Chính sách chất lượng có được phổ biến cho cán bộ mới tiếp nhận, có hồ sơ ghi nhận việc phổ biến không?', 'Is the quality policy introduced to newly recruited staff, with a record of it?'],
  ['5.3', 'Có quyết định phân công nhiệm vụ cho từng cán bộ tham gia giải quyết TTHC, kể cả cán bộ tại Bộ phận Một cửa không?', 'Is there a decision assigning duties to each official who settles administrative procedures, including the one-stop unit staff?'],
  ['5.3', 'Trách nhiệm của từng bước trong quy trình có khớp với phân công thực tế và phân quyền trên Hệ thống thông tin giải quyết TTHC không?', 'Do the responsibilities of each step in the procedure match the actual assignments and the roles in the electronic dossier system?'],
  ['5.3', 'Khi cán bộ nghỉ phép hoặc chuyển công tác, có văn bản phân công người thay thế để hồ sơ không bị tồn đọng không?', 'When an official is on leave or transferred, is a substitute assigned in writing so that dossiers are not held up?'],
  ['6.1', 'Cơ quan có lập danh mục rủi ro và cơ hội cho các quy trình TTHC, có đánh giá mức độ và biện pháp xử lý không?', 'Has the office listed risks and opportunities for its procedures, with their level and the measures to address them?'],
  ['6.1', 'Các biện pháp xử lý rủi ro (ví dụ: hồ sơ quá hạn, mất hồ sơ, lỗi hệ thống) có được thực hiện và theo dõi kết quả không?', 'Are the measures against risks (e.g. overdue dossiers, lost dossiers, system failures) carried out and their results followed up?'],
  ['6.1', 'Danh mục rủi ro có được cập nhật sau các sự cố, khiếu nại hoặc điểm không phù hợp phát sinh trong năm không?', 'Is the risk register updated after incidents, complaints or nonconformities that arose during the year?'],
  ['6.2', 'Mục tiêu chất lượng năm nay có được ban hành, đo lường được (ví dụ: tỷ lệ hồ sơ đúng hạn) và có kế hoạch thực hiện không?', 'Have this year\'s quality objectives been issued, measurable (e.g. the on-time rate of dossiers) and with a plan to achieve them?'],
  ['6.2', 'Mục tiêu chất lượng có được triển khai đến từng phòng, đơn vị với người chịu trách nhiệm và thời hạn không?', 'Are the quality objectives deployed to each unit with a person responsible and a deadline?'],
  ['6.2', 'Kết quả thực hiện mục tiêu chất lượng có được theo dõi định kỳ và báo cáo lãnh đạo, có số liệu chứng minh không?', 'Are results against the quality objectives monitored periodically and reported to the leadership, with figures as evidence?'],
  ['6.3', 'Khi thay đổi quy trình, biểu mẫu hoặc phần mềm giải quyết TTHC, cơ quan có lập kế hoạch thay đổi và đánh giá ảnh hưởng không?', 'When procedures, forms or the settlement software change, does the office plan the change and assess its effects?'],
  ['6.3', 'Việc sắp xếp, điều chỉnh tổ chức bộ máy có được xem xét ảnh hưởng đến phân công giải quyết hồ sơ không?', 'Is the effect of reorganisations on the assignment of dossier handling considered?'],
  ['6.3', 'Sau khi thay đổi được thực hiện, có kiểm tra lại để bảo đảm hồ sơ đang giải quyết không bị gián đoạn không?', 'After a change is made, is it checked that dossiers being settled were not interrupted?'],
  ['7.1.1', 'Cơ quan có xác định và bố trí đủ nguồn lực (nhân sự, kinh phí, thiết bị) để giải quyết TTHC đúng hạn không?', 'Has the office determined and provided enough resources (people, budget, equipment) to settle procedures on time?'],
  ['7.1.1', 'Dự toán kinh phí năm có khoản dành cho duy trì, cải tiến HTQLCL (đào tạo, đánh giá, cập nhật tài liệu) không?', 'Does the annual budget include an amount for maintaining and improving the QMS (training, audits, updating documents)?'],
  ['7.1.1', 'Những thiếu hụt nguồn lực được nêu tại cuộc họp xem xét của lãnh đạo có được xử lý không?', 'Have the resource shortages raised at the management review been addressed?'],
  ['7.1.2', 'Số cán bộ tại Bộ phận Một cửa có đáp ứng lượng hồ sơ tiếp nhận, không để người dân chờ quá lâu không?', 'Is the one-stop unit staffed for the number of dossiers received, so that citizens do not wait too long?'],
  ['7.1.2', 'Cán bộ thụ lý hồ sơ có được bố trí đúng vị trí việc làm và chuyên môn của lĩnh vực TTHC không?', 'Are the officials handling dossiers placed in posts matching their job positions and the field of the procedures?'],
  ['7.1.2', 'Khi lượng hồ sơ tăng đột biến, cơ quan có phương án điều động, bổ sung cán bộ không?', 'When the number of dossiers surges, does the office have a plan to reassign or add staff?'],
  ['7.1.3', 'Bộ phận Một cửa có đủ trang thiết bị (máy tính, máy quét, máy in, máy xếp hàng tự động, ghế chờ) hoạt động tốt không?', 'Does the one-stop unit have working equipment (computers, scanners, printers, queue ticket machine, waiting seats)?'],
  ['7.1.3', 'Đường truyền và Hệ thống thông tin giải quyết TTHC có được bảo trì, có ghi nhận sự cố và thời gian khắc phục không?', 'Are the network and the electronic dossier system maintained, with incidents and repair times recorded?'],
  ['7.1.3', 'Dữ liệu hồ sơ điện tử có được sao lưu định kỳ và kiểm tra khả năng khôi phục không?', 'Is the electronic dossier data backed up regularly and restoration tested?'],
  ['7.1.4', 'Khu vực tiếp nhận và trả kết quả có bảo đảm thông thoáng, đủ ánh sáng, có lối đi cho người khuyết tật không?', 'Is the reception and return area airy and well lit, with access for people with disabilities?'],
  ['7.1.4', 'Nơi làm việc của cán bộ thụ lý có đủ tủ, kệ để sắp xếp hồ sơ đang giải quyết theo trình tự, tránh thất lạc không?', 'Do the officials handling dossiers have enough cabinets and shelves to keep dossiers in progress in order and avoid losing them?'],
  ['7.1.4', 'Thủ tục, biểu mẫu, phí, lệ phí và số điện thoại đường dây nóng có được niêm yết rõ ràng tại Bộ phận Một cửa không?', 'Are the procedures, forms, fees, charges and the hotline number clearly posted at the one-stop unit?'],
  ['7.1.5', 'Số liệu theo dõi việc giải quyết hồ sơ (đúng hạn, quá hạn) có được lấy từ Hệ thống thông tin giải quyết TTHC và đối chiếu với sổ theo dõi không?', 'Are the figures on dossier settlement (on time, late) taken from the electronic dossier system and checked against the tracking register?'],
  ['7.1.5', 'Phương pháp đo sự hài lòng (phiếu khảo sát, thiết bị đánh giá tại quầy) có được xác định và áp dụng thống nhất không?', 'Is the method of measuring satisfaction (survey cards, rating devices at the counter) defined and applied consistently?'],
  ['7.1.5', 'Khi phát hiện số liệu trên hệ thống sai lệch, có ghi nhận và điều chỉnh kèm lý do không?', 'When figures in the system are found to be wrong, are they recorded and corrected with a reason?'],
  ['7.1.6', 'Cơ quan có tập hợp văn bản quy phạm pháp luật, hướng dẫn nghiệp vụ còn hiệu lực cho từng lĩnh vực TTHC không?', 'Has the office collected the legal texts and professional guidance in force for each field of procedures?'],
  ['7.1.6', 'Kinh nghiệm từ các vướng mắc khi giải quyết hồ sơ có được ghi lại và chia sẻ cho cán bộ cùng lĩnh vực không?', 'Are lessons from difficulties in settling dossiers recorded and shared with officials of the same field?'],
  ['7.1.6', 'Khi cán bộ chuyển công tác, có bàn giao tài liệu, hồ sơ và kinh nghiệm giải quyết cho người tiếp nhận không?', 'When an official is transferred, are documents, dossiers and know-how handed over to the successor?'],
  ['7.2', 'Cán bộ làm công tác đánh giá nội bộ có chứng chỉ đào tạo chuyên gia đánh giá nội bộ còn hiệu lực không?', 'Do the internal auditors hold a valid internal-auditor training certificate?'],
  ['7.2', 'Có hồ sơ đào tạo, tập huấn về TCVN ISO 9001:2015 và nghiệp vụ giải quyết TTHC cho cán bộ trong năm không?', 'Are there training records on TCVN ISO 9001:2015 and on settling administrative procedures for this year?'],
  ['7.2', 'Cán bộ tại Bộ phận Một cửa có đáp ứng tiêu chuẩn theo quy định hiện hành và được đánh giá năng lực định kỳ không?', 'Do the one-stop unit officials meet the standards of the regulations in force and have their competence evaluated periodically?'],
  ['7.3', 'Cán bộ được phỏng vấn có biết quy trình mình thực hiện, biểu mẫu đang dùng và mục tiêu chất lượng liên quan không?', 'Do the staff interviewed know the procedure they carry out, the forms in use and the related quality objectives?'],
  ['7.3', 'Cán bộ có hiểu hậu quả khi không tuân thủ quy trình (hồ sơ quá hạn, phải xin lỗi người dân, bị xem xét thi đua) không?', 'Do staff understand the consequences of not following the procedure (late dossiers, apologising to citizens, effect on performance ratings)?'],
  ['7.3', 'Cán bộ mới có được hướng dẫn về HTQLCL trước khi được giao giải quyết hồ sơ không?', 'Are new staff introduced to the QMS before they are given dossiers to handle?'],
  ['7.4', 'Cơ quan có quy định nội dung, thời điểm, người thực hiện việc trao đổi thông tin nội bộ về HTQLCL không?', 'Has the office defined what is communicated internally about the QMS, when and by whom?'],
  ['7.4', 'Việc chuyển hồ sơ giữa các phòng và cơ quan phối hợp có được thực hiện qua hệ thống hoặc sổ giao nhận có ký nhận không?', 'Are dossiers passed between units and cooperating agencies through the system or a transfer register signed on receipt?'],
  ['7.4', 'Thông tin về tiến độ giải quyết hồ sơ có được cung cấp cho người dân (tin nhắn, tra cứu trực tuyến, điện thoại) không?', 'Is information on the progress of a dossier given to citizens (text messages, online lookup, telephone)?'],
  ['7.5.1', 'Cơ quan có đủ các thông tin dạng văn bản theo yêu cầu của tiêu chuẩn và do cơ quan xác định (quy trình, biểu mẫu, hồ sơ) không?', 'Does the office have the documented information the standard requires and that it has determined itself (procedures, forms, records)?'],
  ['7.5.1', 'Danh mục tài liệu nội bộ và tài liệu bên ngoài có được lập và cập nhật đầy đủ không?', 'Are the lists of internal and external documents drawn up and kept up to date?'],
  ['7.5.1', 'Mỗi quy trình có nêu rõ các hồ sơ cần lưu, nơi lưu và thời gian lưu không?', 'Does each procedure state the records to keep, where and for how long?'],
  ['7.5.2', 'Tài liệu ban hành có mã hiệu, lần ban hành, ngày hiệu lực và chữ ký soạn thảo, xem xét, phê duyệt không?', 'Do issued documents carry a code, issue number, effective date and the signatures of preparer, reviewer and approver?'],
  ['7.5.2', 'Khi sửa đổi tài liệu, nội dung sửa đổi có được ghi vào bảng theo dõi sửa đổi không?', 'When a document is revised, is the change recorded in the revision history?'],
  ['7.5.2', 'Biểu mẫu trong quy trình có được cập nhật kịp thời khi quy định hiện hành thay đổi mẫu đơn, tờ khai không?', 'Are the forms in a procedure updated in time when the regulations in force change the application forms?'],
  ['7.5.3', 'Hồ sơ giải quyết TTHC có được lưu trữ đủ thành phần theo quy trình không?', 'Are the dossiers of settled administrative procedures stored with every component the procedure requires?'],
  ['7.5.3', 'Tài liệu hết hiệu lực có được thu hồi hoặc đóng dấu để tránh sử dụng nhầm tại nơi làm việc không?', 'Are obsolete documents withdrawn or stamped so that they are not used by mistake at the workplace?'],
  ['7.5.3', 'Hồ sơ lưu có được sắp xếp, lập danh mục để tra cứu nhanh và lưu đúng thời gian quy định không?', 'Are stored records arranged and listed for quick retrieval and kept for the required period?'],
  ['8.1', 'Việc giải quyết TTHC có được thực hiện theo đúng trình tự các bước của quy trình đã ban hành không?', 'Are administrative procedures settled following the steps of the issued procedure?'],
  ['8.1', 'Các tiêu chí thực hiện (thời gian từng bước, thành phần hồ sơ, mẫu kết quả) có được xác định rõ trong quy trình không?', 'Are the criteria (time of each step, dossier components, result template) clearly defined in the procedure?'],
  ['8.1', 'Hồ sơ tiếp nhận trực tuyến và trực tiếp có được xử lý theo cùng một quy trình và cùng thời hạn không?', 'Are dossiers received online and in person handled under the same procedure and time limit?'],
  ['8.2.1', 'Thông tin về TTHC (thành phần hồ sơ, thời hạn, phí, lệ phí) có được công khai tại Bộ phận Một cửa và trên Cổng dịch vụ công không?', 'Is the information on each procedure (dossier components, time limit, fees, charges) published at the one-stop unit and on the public service portal?'],
  ['8.2.1', 'Cán bộ tiếp nhận có hướng dẫn người dân bổ sung hồ sơ một lần, bằng phiếu hướng dẫn theo mẫu không?', 'Do reception staff tell citizens what to add to a dossier once only, on the standard guidance slip?'],
  ['8.2.1', 'Kênh tiếp nhận phản ánh, kiến nghị (hòm thư góp ý, đường dây nóng, cổng trực tuyến) có hoạt động và được theo dõi không?', 'Are the feedback channels (suggestion box, hotline, online portal) working and monitored?'],
  ['8.2.2', 'Yêu cầu đối với từng TTHC (căn cứ pháp lý, thành phần, thời hạn, kết quả) có được xác định đầy đủ trong quy trình không?', 'Are the requirements of each procedure (legal basis, components, time limit, result) fully defined in the procedure?'],
  ['8.2.2', 'Căn cứ pháp lý nêu trong quy trình có còn hiệu lực tại thời điểm đánh giá không?', 'Is the legal basis cited in the procedure still in force at the time of the audit?'],
  ['8.2.2', 'Các yêu cầu về phí, lệ phí trong quy trình có đúng với mức thu theo quy định hiện hành không?', 'Do the fees and charges in the procedure match the amounts set by the regulations in force?'],
  ['8.2.3', 'Hồ sơ tiếp nhận có được kiểm tra tính đầy đủ, hợp lệ trước khi viết giấy tiếp nhận và hẹn trả kết quả không?', 'Is each dossier checked for completeness and validity before the receipt and appointment slip is issued?'],
  ['8.2.3', 'Hồ sơ không đủ điều kiện có phiếu từ chối tiếp nhận nêu rõ lý do theo mẫu không?', 'Do dossiers that do not qualify receive a refusal slip on the standard form stating the reasons?'],
  ['8.2.3', 'Ngày hẹn trả kết quả trên giấy tiếp nhận có được tính đúng theo số ngày làm việc của quy trình không?', 'Is the appointment date on the receipt computed correctly in working days as the procedure sets?'],
  ['8.2.4', 'Khi quy định hiện hành thay đổi thành phần hồ sơ hoặc thời hạn, quy trình và thông tin niêm yết có được cập nhật kịp thời không?', 'When the regulations in force change the dossier components or time limit, are the procedure and the posted information updated in time?'],
  ['8.2.4', 'Cán bộ tiếp nhận và thụ lý có được thông báo về các thay đổi yêu cầu của TTHC không?', 'Are reception and handling staff informed of changes to a procedure\'s requirements?'],
  ['8.2.4', 'Khi người dân yêu cầu thay đổi nội dung hồ sơ đã nộp, việc thay đổi có được ghi nhận và xử lý đúng quy trình không?', 'When a citizen asks to change a dossier already submitted, is the change recorded and handled as the procedure requires?'],
  ['8.4', 'Các dịch vụ thuê ngoài (bưu chính công ích, phần mềm, bảo trì thiết bị) có được xác định và có hợp đồng hoặc thỏa thuận không?', 'Are outsourced services (public postal service, software, equipment maintenance) identified and covered by a contract or agreement?'],
  ['8.4', 'Việc tiếp nhận và trả kết quả qua dịch vụ bưu chính công ích có sổ theo dõi và ký nhận khi bàn giao hồ sơ không?', 'Are dossiers received and results returned through the public postal service tracked in a register and signed for at hand-over?'],
  ['8.4', 'Cơ quan có đánh giá chất lượng dịch vụ của nhà cung cấp bên ngoài và xử lý khi dịch vụ không đạt yêu cầu không?', 'Does the office evaluate its external providers\' services and act when a service falls short?'],
  ['8.5.1', 'Phiếu kiểm soát quá trình giải quyết hồ sơ có được ghi đầy đủ thời điểm chuyển bước không?', 'Is the dossier processing control slip filled in with the time of every step hand-over?'],
  ['8.5.1', 'Hồ sơ có được giải quyết đúng thời gian quy định cho từng bước và tổng thời hạn của quy trình không?', 'Are dossiers settled within the time set for each step and within the procedure\'s total time limit?'],
  ['8.5.1', 'Kết quả giải quyết có được ký duyệt đúng thẩm quyền và đúng mẫu theo quy định hiện hành không?', 'Is the result signed by the competent person and issued on the form the regulations in force prescribe?'],
  ['8.5.2', 'Mỗi hồ sơ có mã hồ sơ trên Hệ thống thông tin giải quyết TTHC để truy xuất từ tiếp nhận đến trả kết quả không?', 'Does each dossier have a code in the electronic dossier system that traces it from receipt to return?'],
  ['8.5.2', 'Sổ theo dõi hồ sơ có ghi đầy đủ ngày tiếp nhận, ngày hẹn trả và ngày trả kết quả khớp với hệ thống không?', 'Does the tracking register record the receipt, appointment and return dates, matching the system?'],
  ['8.5.2', 'Hồ sơ đang giải quyết tại từng bước có được nhận biết trạng thái (đang thụ lý, chờ bổ sung, chờ ký) không?', 'Is the status of each dossier in progress (being handled, awaiting additions, awaiting signature) identifiable?'],
  ['8.5.3', 'Giấy tờ gốc người dân nộp hoặc xuất trình có được bảo quản và trả lại đầy đủ, có ký nhận không?', 'Are original papers that citizens submit or show kept safe and returned in full, signed for?'],
  ['8.5.3', 'Thông tin cá nhân trong hồ sơ có được bảo vệ, chỉ người có thẩm quyền mới được tiếp cận không?', 'Is personal data in dossiers protected, accessible only to those authorised?'],
  ['8.5.3', 'Khi giấy tờ của người dân bị mất hoặc hư hỏng, cơ quan có thông báo và xử lý theo quy định hiện hành không?', 'When a citizen\'s papers are lost or damaged, does the office inform the citizen and act under the regulations in force?'],
  ['8.5.4', 'Hồ sơ giấy đang giải quyết có được bảo quản trong bìa, tủ có khóa để không thất lạc, hư hỏng không?', 'Are paper dossiers in progress kept in folders and locked cabinets so they are not lost or damaged?'],
  ['8.5.4', 'Kết quả giải quyết chờ trả có được bảo quản tại Bộ phận Một cửa, sắp xếp theo ngày hẹn trả không?', 'Are results awaiting collection kept at the one-stop unit, arranged by appointment date?'],
  ['8.5.4', 'Hồ sơ điện tử và bản scan có được lưu trên hệ thống với quyền truy cập phù hợp không?', 'Are electronic dossiers and scans stored in the system with suitable access rights?'],
  ['8.5.5', 'Sau khi trả kết quả, phản ánh của người dân về sai sót trên kết quả có được tiếp nhận và xử lý không?', 'After results are returned, are citizens\' reports of errors in them received and handled?'],
  ['8.5.5', 'Kết quả có sai sót do lỗi của cơ quan có được đính chính, cấp lại không thu phí và trong thời hạn quy định không?', 'Are results with errors caused by the office corrected or reissued free of charge within the time set?'],
  ['8.5.5', 'Cơ quan có lấy ý kiến người dân về chất lượng giải quyết sau khi trả kết quả không?', 'Does the office ask citizens about the quality of the service after returning results?'],
  ['8.5.6', 'Khi phải thay đổi cán bộ thụ lý hoặc điều chỉnh bước xử lý hồ sơ, việc thay đổi có được phê duyệt và ghi nhận không?', 'When the handling official or a step of a dossier has to change, is the change approved and recorded?'],
  ['8.5.6', 'Việc gia hạn thời gian giải quyết có được thực hiện đúng thẩm quyền và thông báo cho người dân không?', 'Are extensions of the settlement time granted by the competent person and notified to the citizen?'],
  ['8.5.6', 'Kết quả xem xét thay đổi, người phê duyệt và hành động cần thiết có được lưu thành hồ sơ không?', 'Are the review of a change, its approver and the actions needed kept on record?'],
  ['8.6', 'Kết quả giải quyết có được kiểm tra, ký duyệt trước khi chuyển về Bộ phận Một cửa để trả cho người dân không?', 'Are results checked and signed before they go to the one-stop unit for return to the citizen?'],
  ['8.6', 'Việc trả kết quả có được ghi vào sổ hoặc hệ thống, có chữ ký hoặc xác nhận của người nhận không?', 'Is the return of each result recorded in the register or system, with the recipient\'s signature or confirmation?'],
  ['8.6', 'Người ký duyệt kết quả có đúng thẩm quyền theo quyết định phân công, ủy quyền hiện hành không?', 'Does the person signing results hold the authority under the current assignment or delegation decision?'],
  ['8.7', 'Hồ sơ quá hạn có phiếu xin lỗi và hẹn lại ngày trả kết quả gửi người dân không?', 'Do late dossiers have an apology slip with a new appointment date sent to the citizen?'],
  ['8.7', 'Hồ sơ sai sót, quá hạn có được ghi nhận là sự không phù hợp, xác định nguyên nhân và cách xử lý không?', 'Are erroneous or late dossiers recorded as nonconformities, with their cause and handling?'],
  ['8.7', 'Kết quả có sai sót phát hiện trước khi trả có được giữ lại, sửa và kiểm tra lại trước khi trả không?', 'Are results found wrong before return held back, corrected and checked again before they are returned?'],
  ['9.1.1', 'Cơ quan có xác định những gì cần theo dõi, đo lường (tỷ lệ đúng hạn, số hồ sơ quá hạn, mức độ hài lòng) và tần suất không?', 'Has the office determined what to monitor and measure (on-time rate, late dossiers, satisfaction) and how often?'],
  ['9.1.1', 'Báo cáo tình hình giải quyết TTHC định kỳ có được lập đúng hạn và gửi cơ quan cấp trên không?', 'Are the periodic reports on the settlement of procedures made on time and sent to the higher authority?'],
  ['9.1.1', 'Số liệu trong báo cáo có khớp với số liệu trên Hệ thống thông tin giải quyết TTHC không?', 'Do the figures in the reports match those in the electronic dossier system?'],
  ['9.1.2', 'Cơ quan có khảo sát sự hài lòng của người dân, tổ chức theo kế hoạch và phương pháp đã định không?', 'Does the office survey the satisfaction of citizens and organisations as planned, with the defined method?'],
  ['9.1.2', 'Kết quả khảo sát sự hài lòng có được tổng hợp, phân tích và báo cáo lãnh đạo không?', 'Are the satisfaction survey results compiled, analysed and reported to the leadership?'],
  ['9.1.2', 'Những nội dung người dân chưa hài lòng có được xem xét và có biện pháp cải tiến không?', 'Are the points citizens were unhappy about reviewed, with improvement measures?'],
  ['9.1.3', 'Dữ liệu về giải quyết hồ sơ, khảo sát, phản ánh có được phân tích để đánh giá hiệu lực của HTQLCL không?', 'Are data on dossiers, surveys and feedback analysed to evaluate the effectiveness of the QMS?'],
  ['9.1.3', 'Kết quả phân tích có chỉ ra quy trình, lĩnh vực có nhiều hồ sơ quá hạn để ưu tiên cải tiến không?', 'Does the analysis point out the procedures and fields with the most late dossiers, to prioritise improvement?'],
  ['9.1.3', 'Kết quả phân tích, đánh giá có được đưa vào đầu vào của cuộc họp xem xét của lãnh đạo không?', 'Are the results of analysis and evaluation fed into the management review?'],
  ['9.2', 'Chương trình đánh giá nội bộ năm có được phê duyệt và bao trùm tất cả quy trình, đơn vị trong phạm vi HTQLCL không?', 'Is this year\'s internal audit programme approved and does it cover every procedure and unit in the QMS scope?'],
  ['9.2', 'Chuyên gia đánh giá có độc lập với hoạt động được đánh giá (không tự đánh giá công việc của mình) không?', 'Are auditors independent of the activities audited (not auditing their own work)?'],
  ['9.2', 'Báo cáo đánh giá nội bộ có được gửi lãnh đạo và đơn vị được đánh giá, các phát hiện có được theo dõi khắc phục không?', 'Is the internal audit report sent to the leadership and the auditee, and are the findings followed up to correction?'],
  ['9.3.1', 'Cuộc họp xem xét của lãnh đạo có được tổ chức theo tần suất đã định (ít nhất một lần trong năm) không?', 'Is the management review held as often as planned (at least once a year)?'],
  ['9.3.1', 'Biên bản họp xem xét của lãnh đạo có được lập, ký và lưu đầy đủ không?', 'Are the management review minutes drawn up, signed and kept?'],
  ['9.3.1', 'Thành phần dự họp xem xét của lãnh đạo có gồm lãnh đạo cao nhất và đại diện các đơn vị trong phạm vi không?', 'Does the management review include top management and representatives of the units in scope?'],
  ['9.3.2', 'Biên bản họp có xem xét kết quả thực hiện mục tiêu chất lượng và tỷ lệ hồ sơ giải quyết đúng hạn không?', 'Do the minutes review results against the quality objectives and the on-time rate of dossiers?'],
  ['9.3.2', 'Biên bản có xem xét kết quả đánh giá nội bộ, sự hài lòng và phản ánh, kiến nghị của người dân không?', 'Do the minutes review internal audit results, satisfaction and citizen feedback?'],
  ['9.3.2', 'Biên bản có xem xét tình trạng các hành động của cuộc họp trước và hiệu lực của hành động xử lý rủi ro không?', 'Do the minutes review the status of actions from the previous review and the effectiveness of risk actions?'],
  ['9.3.3', 'Biên bản họp có nêu các quyết định về cơ hội cải tiến, nhu cầu thay đổi HTQLCL và nguồn lực không?', 'Do the minutes state decisions on improvement opportunities, changes to the QMS and resources?'],
  ['9.3.3', 'Các quyết định của cuộc họp xem xét có được giao người thực hiện, thời hạn và được theo dõi không?', 'Are the decisions of the review assigned to people with deadlines, and followed up?'],
  ['9.3.3', 'Kết luận của cuộc họp xem xét có được thông báo đến các phòng, đơn vị liên quan không?', 'Are the review\'s conclusions communicated to the units concerned?'],
  ['10.1', 'Cơ quan có xác định và thực hiện các cơ hội cải tiến (rút ngắn thời gian, tăng hồ sơ trực tuyến) trong năm không?', 'Has the office identified and carried out improvement opportunities (shorter times, more online dossiers) this year?'],
  ['10.1', 'Các sáng kiến cải tiến của cán bộ có được ghi nhận, xem xét và áp dụng khi phù hợp không?', 'Are staff suggestions for improvement recorded, considered and applied where suitable?'],
  ['10.1', 'Kết quả cải tiến có được đo lường, so sánh với trước khi cải tiến không?', 'Are the results of improvements measured and compared with the situation before?'],
  ['10.2', 'Mỗi sự không phù hợp có phiếu ghi nhận, nêu khắc phục tức thời, nguyên nhân gốc và hành động khắc phục không?', 'Does each nonconformity have a record stating the correction, root cause and corrective action?'],
  ['10.2', 'Hành động khắc phục có được thực hiện đúng hạn và kiểm tra xác nhận hiệu lực không?', 'Are corrective actions completed by their due date and verified as effective?'],
  ['10.2', 'Các sự không phù hợp lặp lại có được xem xét để cập nhật rủi ro hoặc sửa đổi quy trình không?', 'Are recurring nonconformities considered for updating risks or revising the procedure?'],
  ['10.3', 'Cơ quan có kế hoạch cải tiến liên tục HTQLCL dựa trên kết quả phân tích, đánh giá và xem xét của lãnh đạo không?', 'Does the office plan continual improvement of the QMS based on analysis, evaluation and management review?'],
  ['10.3', 'Tỷ lệ hồ sơ giải quyết đúng hạn và mức độ hài lòng có xu hướng cải thiện so với năm trước không?', 'Are the on-time rate and satisfaction improving compared with last year?'],
  ['10.3', 'Việc ứng dụng công nghệ thông tin, dịch vụ công trực tuyến có được mở rộng để cải tiến việc giải quyết TTHC không?', 'Is the use of IT and online public services being extended to improve the settlement of procedures?'],
];

/** The standard library in clause order, questions of a clause in the order written. */
export const STANDARD_LIBRARY: readonly SeedQuestion[] = Object.freeze(ROWS.map(([clause, vi, en]) => ({ clause, vi, en })));
