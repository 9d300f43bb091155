import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-response.dto';
import { Audited } from '../audit/audited.decorator';
import { ContactsService } from './contacts.service';
import { ContactListDto, ContactResponseDto } from './dto/contact.dto';
import { PreApproveContactDto } from './dto/pre-approve-contact.dto';
import { OperatorOnly } from '../access/operator-only.decorator';

@ApiTags('approvals')
@Controller('sms/contacts')
export class ContactsController {
  constructor(@Inject(ContactsService) private readonly contacts: ContactsService) {}

  @Get()
  @ApiOperation({ summary: 'Numbers the bridge knows, and whether each may be texted' })
  @ApiOkResponse({ type: ContactListDto })
  async list(): Promise<ContactListDto> {
    return { contacts: await this.contacts.list() };
  }

  /** The operator approves a number before anything is sent to it. */
  @Post()
  @HttpCode(201)
  @Audited('pre_approve')
  @OperatorOnly()
  @ApiOperation({
    summary: 'The operator pre-approves a number (operator token); does not undo a STOP',
  })
  @ApiCreatedResponse({ type: ContactResponseDto })
  @ApiErrorResponses(400, 403)
  async preApprove(@Body() request: PreApproveContactDto): Promise<ContactResponseDto> {
    return { contact: await this.contacts.preApprove(request.number) };
  }
}
