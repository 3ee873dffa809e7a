"""Reading the files people bring, for every importer of Sobrio.

The pure parts (problems, values, reading, exporting) have no Django models in them:
each domain importer is a list of fields and validators on top of them. The Django
parts (the import job, the mapping flow) live in models.py, flow.py and views.py.
"""
