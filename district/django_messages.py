"""Django's own messages (the admin's, and form and model validation) that the project's Korean
catalogue translates again.

Django's Korean for these reads badly: "보기위한 1매칭 실행 를(을) 선택" for "Select %s to view",
"뷰 매칭 실행" for "View %s", "이/가" and "을/를" written out after a model name. The project's
catalogue (locale/ko) comes first in Django's lookup, so an entry there replaces Django's.
But `makemessages --no-obsolete` keeps only msgids that appear in the project's own source,
so each one is written here, marked for translation and never used at run time. The Korean
puts no particle straight after a model or object name or a value ("%(name)s 항목을 삭제했습니다",
"%(value)s 값은"), so it reads right whatever the name ends with. The Korean itself is in the
catalogue (locale/ko/LC_MESSAGES/django.po), like every other message.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# The admin: titles, actions, confirmations and the messages after a change.
ADMIN_MESSAGES = (
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("View %s"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Delete multiple objects"),
    gettext_noop("Objects"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully.", 1
    ),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected "
        "related objects: %(related_objects)s"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your "
        "account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("You don’t have permission to view or edit anything."),
)

# Form and model validation (django.core, django.contrib.auth): "%(value)s 이/가" and the like.
VALIDATION_MESSAGES = (
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it "
        "may be ambiguous or it may not exist."
    ),
    gettext_noop("%(name)s object with primary key %(key)r does not exist."),
)
