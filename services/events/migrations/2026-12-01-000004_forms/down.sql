DROP TABLE form_answers;
DROP TABLE forms;
