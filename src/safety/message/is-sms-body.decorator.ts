import { registerDecorator, ValidationArguments } from 'class-validator';
import { smsBodyProblem, smsReasonProblem } from './sms-body';

function isText(name: string, problem: (value: unknown) => string | null): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args?: ValidationArguments) => problem(args?.value) ?? '',
      },
    });
}

/** The message body rules of every request that carries one (send, approval request). */
export function IsSmsBody(): PropertyDecorator {
  return isText('isSmsBody', smsBodyProblem);
}

/** An approval's reason: read on the operator's phone, so the body's character rules. */
export function IsSmsReason(): PropertyDecorator {
  return isText('isSmsReason', smsReasonProblem);
}
