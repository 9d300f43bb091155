import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { Contact, ContactsService } from './contacts.service';
import { PreApproveContactDto } from './dto/pre-approve-contact.dto';
import { OperatorOnly } from '../access/operator-only.decorator';

@Controller('sms/contacts')
export class ContactsController {
  constructor(@Inject(ContactsService) private readonly contacts: ContactsService) {}

  @Get()
  list(): { contacts: Contact[] } {
    return { contacts: this.contacts.list() };
  }

  /** The operator approves a number before anything is sent to it. */
  @Post()
  @HttpCode(201)
  @Audited('pre_approve')
  @OperatorOnly()
  preApprove(@Body() request: PreApproveContactDto): { contact: Contact } {
    return { contact: this.contacts.preApprove(request.number) };
  }
}
