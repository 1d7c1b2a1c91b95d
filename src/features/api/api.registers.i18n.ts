/** Words of the API's read operations (registers and reports): their names on the API's readable page. */
export const vi: Record<string, string> = {
  'api.op.listProcedures': 'Sổ thủ tục',
  'api.op.getProcedure': 'Một thủ tục, với quy trình đang hiệu lực',
  'api.op.listNonconformities': 'Sổ theo dõi sự không phù hợp',
  'api.op.listCurrentDocuments': 'Tài liệu hiện hành',
  'api.op.getProcedureReport': 'Báo cáo tuân thủ của một thủ tục trong một kỳ',
  'api.op.getReportSummary': 'Báo cáo tổng hợp mọi thủ tục trong một kỳ',
};

export const en: Record<string, string> = {
  'api.op.listProcedures': 'The register of procedures',
  'api.op.getProcedure': 'One procedure, with its process document in force',
  'api.op.listNonconformities': 'The register of nonconformities',
  'api.op.listCurrentDocuments': 'The controlled documents in force',
  'api.op.getProcedureReport': 'A procedure’s compliance report for a period',
  'api.op.getReportSummary': 'The all-procedures summary for a period',
};
