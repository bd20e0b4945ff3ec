import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { InvalidRequestError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { attachment, XLSX_CONTENT_TYPE } from '../common/spreadsheet.js';
import { importTemplate } from './import-template.js';
import { ImportsService } from './imports.service.js';

@ApiTags('spreadsheet import')
@ApiBearerAuth()
@Roles('provider')
@Controller('api/v1/hours')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly caller: Caller,
  ) {}

  @Get('import-template')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The roster template (.xlsx): the seven headers, a list for 科目类别, a date format, and a sheet explaining each column' })
  async template(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    void reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', attachment('hours-import-template.xlsx', '学时登记导入模板.xlsx'));
    return importTemplate();
  }

  @Post('imports')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiAcceptedResponse({ description: '{id, status: "queued", …}; the same bytes again → 200 with the earlier import' })
  @ApiUnprocessableEntityResponse({ description: 'Not a spreadsheet, encrypted or with macros, a required header missing, over 20 MB or 100,000 rows: nothing written' })
  async upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const part = request.isMultipart() ? await request.file().catch(() => undefined) : undefined;
    if (!part || part.fieldname !== 'file') throw new InvalidRequestError([{ path: 'file', message: message('IMPORT.NO_FILE') }], message('IMPORT.NO_FILE'));
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch {
      throw new InvalidRequestError([{ path: 'file', message: message('IMPORT.TOO_LARGE') }], message('IMPORT.TOO_LARGE'));
    }
    const { existing, view } = await this.imports.upload(this.caller.as('provider').providerId, part.filename || 'roster', bytes);
    if (existing) void reply.status(200);
    return view;
  }

  @Get('imports')
  @ApiOkResponse({ description: "The provider's imports, newest first" })
  list() {
    return this.imports.list(this.caller.as('provider').providerId);
  }

  @Get('imports/:id')
  @ApiOkResponse({ description: '{id, fileName, status, totalRows, processedRows, created, replayed, rejected, errors: [{row, column, message}] (first 100), warnings, failureReason?, createdAt, completedAt?}' })
  get(@Param('id') id: string) {
    return this.imports.get(this.caller.as('provider').providerId, id);
  }

  @Get('imports/:id/report')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Every data row as uploaded, with 结果 (已记录, 已存在 or 错误) and 说明' })
  async report(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { fileName, xlsx } = await this.imports.report(this.caller.as('provider').providerId, id);
    void reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', attachment(`import-${id}-report.xlsx`, `${fileName}-处理结果.xlsx`));
    return xlsx;
  }
}
